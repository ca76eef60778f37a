using System.Text.Json;
using Brook.Cli.Tests.Support;
using Brook.Client;
using Brook.Client.Connections;
using Brook.Protocol.Messages;

namespace Brook.Cli.Tests;

public sealed class TxnCommandTests
{
    /// <summary>Opens a transaction by hand (InitProducerId, AddPartitionsToTxn), as a transactional producer would.</summary>
    private static async Task<long> BeginTransactionAsync(CliHarness cli, string transactionalId, string topic)
    {
        await using KafkaConnection connection = await KafkaConnection.ConnectAsync("127.0.0.1", cli.Broker.Port, new KafkaClientOptions());
        InitProducerIdResponse init = await connection.SendAsync<InitProducerIdResponse>(
            new InitProducerIdRequest { TransactionalId = transactionalId, TransactionTimeoutMs = 60_000 });
        Assert.Equal(0, init.ErrorCode);
        var add = new AddPartitionsToTxnRequest();
        var topicData = new AddPartitionsToTxnRequest.AddPartitionsToTxnTopic { Name = topic, Partitions = [0] };
        if (connection.VersionFor(ApiKey.AddPartitionsToTxn) >= 4)
        {
            add.Transactions.Add(new AddPartitionsToTxnRequest.AddPartitionsToTxnTransaction
            {
                TransactionalId = transactionalId,
                ProducerId = init.ProducerId,
                ProducerEpoch = init.ProducerEpoch,
                Topics = [topicData],
            });
        }
        else
        {
            add.V3AndBelowTransactionalId = transactionalId;
            add.V3AndBelowProducerId = init.ProducerId;
            add.V3AndBelowProducerEpoch = init.ProducerEpoch;
            add.V3AndBelowTopics.Add(topicData);
        }
        await connection.SendAsync<AddPartitionsToTxnResponse>(add);
        return init.ProducerId;
    }

    [Fact]
    public async Task List_and_describe_show_an_open_transaction_its_producer_and_partitions()
    {
        await using CliHarness cli = await CliHarness.StartAsync();
        (await cli.RunAsync("topic", "create", "payments", "-p", "1")).Ok();
        long producerId = await BeginTransactionAsync(cli, "payer-1", "payments");

        CliResult listed = (await cli.RunAsync("txn", "list")).Ok();
        JsonElement listedJson = (await cli.RunAsync("txn", "list", "--format", "json")).Ok().Json;
        CliResult described = (await cli.RunAsync("txn", "describe", "payer-1")).Ok();
        JsonElement describedJson = (await cli.RunAsync("txn", "describe", "payer-1", "--format", "json")).Ok().Json;
        CliResult unknown = await cli.RunAsync("txn", "describe", "nobody");

        Assert.StartsWith("payer-1", listed.Lines[1], StringComparison.Ordinal);
        JsonElement only = Assert.Single(listedJson.EnumerateArray());
        Assert.Equal(producerId, only.GetProperty("producer_id").GetInt64());
        Assert.Contains("payments-0", described.Stdout, StringComparison.Ordinal);
        JsonElement transaction = Assert.Single(describedJson.EnumerateArray());
        Assert.Equal("Ongoing", transaction.GetProperty("state").GetString());
        Assert.Equal(60_000, transaction.GetProperty("timeout_ms").GetInt32());
        Assert.Equal("payments", Assert.Single(transaction.GetProperty("partitions").EnumerateArray()).GetProperty("topic").GetString());
        Assert.Equal(1, unknown.ExitCode);
    }
}
