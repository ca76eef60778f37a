using BenchmarkDotNet.Running;

namespace Brook.Benchmarks;

public static class Program
{
    public static int Main(string[] args)
    {
        // `groups ...` is a wire-level measurement against a running broker (bench/groups.sh), not a BenchmarkDotNet run.
        if (args.Length > 0 && args[0] == "groups")
        {
            return Groups.GroupsMeasurement.RunAsync(args[1..]).GetAwaiter().GetResult();
        }
        // `transactions ...`: a timed run of back-to-back transactions against a started broker (bench/transactions.sh).
        if (args.Length > 0 && args[0] == "transactions")
        {
            Transactions.TransactionCommitRun.RunAsync(args[1..]).GetAwaiter().GetResult();
            return 0;
        }
        // `transactions-dataset ...`: committed and aborted transactions for the read_committed consume bench (bench/transactions.sh).
        if (args.Length > 0 && args[0] == "transactions-dataset")
        {
            Transactions.TransactionalDataSetRun.RunAsync(args[1..]).GetAwaiter().GetResult();
            return 0;
        }
        // `transactions-inprocess DATA_ROOT SECONDS`: the broker's share of a commit, no network.
        if (args.Length > 0 && args[0] == "transactions-inprocess")
        {
            Transactions.InProcessTransactionRun.RunAsync(args[1..]).GetAwaiter().GetResult();
            return 0;
        }
        if (args.Length > 0 && args[0] == "groups-coordinator")
        {
            return Groups.CoordinatorCommitMeasurement.RunAsync(args[1..]).GetAwaiter().GetResult();
        }
        // `storage-durable ...`: one short durable-append run, alternated with fio by bench/storage.sh.
        if (args.Length > 0 && args[0] == "storage-durable")
        {
            return Storage.DurableAppendRun.Run(args[1..]);
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
