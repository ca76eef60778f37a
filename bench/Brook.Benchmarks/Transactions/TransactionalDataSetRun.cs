using System.Diagnostics;
using System.Globalization;

namespace Brook.Benchmarks.Transactions;

/// <summary>
/// <c>dotnet Brook.Benchmarks.dll transactions-dataset HOST:PORT TOPIC PARTITIONS TRANSACTIONS ABORT_EVERY</c>:
/// writes a transactional data set for the read_committed bench: TRANSACTIONS transactions of
/// 100 x 1 KiB, round robin over the partitions, every ABORT_EVERY-th aborted. Prints the record
/// counts as JSON (the consumers need them to know when they are done).
/// </summary>
public static class TransactionalDataSetRun
{
    public static async Task RunAsync(string[] args)
    {
        int partitions = int.Parse(args[2], CultureInfo.InvariantCulture);
        int transactions = int.Parse(args[3], CultureInfo.InvariantCulture);
        int abortEvery = int.Parse(args[4], CultureInfo.InvariantCulture);
        await using RawTransactionalProducer producer = await RawTransactionalProducer.ConnectAsync(args[0], "bench-txn-dataset", args[1]);
        var elapsed = Stopwatch.StartNew();
        int aborted = 0;
        for (int i = 0; i < transactions; i++)
        {
            bool commit = abortEvery <= 0 || i % abortEvery != abortEvery - 1;
            aborted += commit ? 0 : 1;
            await producer.RunTransactionAsync(i % partitions, commit);
        }
        int records = RawTransactionalProducer.Records;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"transactions\": {transactions}, \"aborted\": {aborted}, \"committed_records\": {(transactions - aborted) * records}, \"aborted_records\": {aborted * records}, \"value_bytes\": {RawTransactionalProducer.ValueSize}, \"seconds\": {elapsed.Elapsed.TotalSeconds:F2}}}"));
    }
}
