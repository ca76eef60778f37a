using System.Reflection;

namespace Brook;

/// <summary>The <c>brook</c> binary: the broker and the tools around it behind one command.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        string command = args.Length > 0 ? args[0] : "help";
        switch (command)
        {
            case "version":
            case "--version":
                Console.WriteLine($"brook {Version}");
                return 0;
            case "start":
                return await StartCommand.RunAsync(args[1..], Version);
            default:
                Console.WriteLine("usage: brook <command>");
                Console.WriteLine("  start     run a broker (brook start --help for its settings)");
                Console.WriteLine("  version   print the version");
                return command is "help" or "--help" or "-h" ? 0 : 2;
        }
    }

    private static string Version =>
        typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
