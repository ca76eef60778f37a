using BenchmarkDotNet.Running;

namespace Brook.Benchmarks;

public static class Program
{
    public static void Main(string[] args)
    {
        // Not a BenchmarkDotNet benchmark: a timed run against a started broker (bench/transactions.sh).
        if (args.Length > 0 && args[0] == "transactions")
        {
            Transactions.TransactionCommitRun.RunAsync(args[1..]).GetAwaiter().GetResult();
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
