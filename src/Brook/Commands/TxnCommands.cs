using System.Globalization;
using Brook.Cli;
using Brook.Client.Admin;
using static Brook.Commands.TopicSelection;

namespace Brook.Commands;

/// <summary><c>brook txn list|describe</c>: transactional producers and their open transactions.</summary>
public static class TxnCommands
{
    public static CliCommand Create()
    {
        var txn = new CliCommand("txn", "list and describe transactions");
        txn.Add(new CliCommand("list", "list transactional ids with their producer and state")
            .With(new CliOption("--state", "only transactions in this state (Ongoing, PrepareCommit, CompleteAbort, ...)") { ValueName = "STATE", Repeatable = true })
            .With(Output.FormatOption)
            .Runs(ListAsync));
        txn.Add(new CliCommand("describe", "show transactions: producer id and epoch, state, timeout, start time and partitions")
            .With(new CliArgument("TRANSACTIONAL-ID", "the transactional ids", Variadic: true))
            .With(Output.FormatOption)
            .Runs(DescribeAsync));
        return txn;
    }

    private static async Task<int> ListAsync(CliContext context)
    {
        await using KafkaAdminClient admin = context.CreateAdmin();
        IReadOnlyList<TransactionListing> listed = await admin.ListTransactionsAsync(context.Arguments.GetAll("--state"), context.Cancellation);
        var rows = listed.Select(t => Output.Map(("transactional_id", t.TransactionalId), ("producer_id", t.ProducerId), ("state", t.State))).ToList();
        Output.Write(context, rows, _ =>
        {
            var table = new TextTable("TRANSACTIONAL-ID", "PRODUCER-ID", "STATE");
            foreach (TransactionListing t in listed)
            {
                table.Add(t.TransactionalId, Text(t.ProducerId), t.State);
            }
            table.Write(context);
        });
        return ExitCodes.Ok;
    }

    private static async Task<int> DescribeAsync(CliContext context)
    {
        await using KafkaAdminClient admin = context.CreateAdmin();
        var described = new List<TransactionDescription>();
        foreach (string id in context.Arguments.Positionals)
        {
            described.Add(await admin.DescribeTransactionAsync(id, context.Cancellation));
        }
        var rows = described.Select(t => Output.Map(("transactional_id", t.TransactionalId), ("state", t.State), ("producer_id", t.ProducerId),
            ("producer_epoch", (int)t.ProducerEpoch), ("timeout_ms", t.TimeoutMs), ("start_time_ms", t.StartTimeMs),
            ("partitions", t.Partitions.Select(p => Output.Map(("topic", p.Topic), ("partition", p.Partition))).ToList()))).ToList();
        Output.Write(context, rows, _ =>
        {
            var table = new TextTable("TRANSACTIONAL-ID", "STATE", "PRODUCER-ID", "EPOCH", "TIMEOUT-MS", "STARTED", "PARTITIONS");
            foreach (TransactionDescription t in described)
            {
                string started = t.StartTimeMs < 0 ? "-" : DateTimeOffset.FromUnixTimeMilliseconds(t.StartTimeMs).ToString("u", CultureInfo.InvariantCulture);
                table.Add(t.TransactionalId, t.State, Text(t.ProducerId), Text(t.ProducerEpoch), Text(t.TimeoutMs), started,
                    t.Partitions.Count == 0 ? "-" : string.Join(',', t.Partitions.Select(p => p.ToString())));
            }
            table.Write(context);
        });
        return ExitCodes.Ok;
    }
}
