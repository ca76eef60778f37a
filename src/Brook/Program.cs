using System.Reflection;

namespace Brook;

/// <summary>The <c>brook</c> binary: the broker and the tools around it behind one command.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string command = args.Length > 0 ? args[0] : "help";
        switch (command)
        {
            case "version":
            case "--version":
                Console.WriteLine($"brook {Version}");
                return 0;
            case "start":
                Console.Error.WriteLine("brook start: the broker is not built yet (see the open broker issue); nothing is listening.");
                return 2;
            default:
                Console.WriteLine("usage: brook <command>");
                Console.WriteLine("  start     run a broker (not built yet)");
                Console.WriteLine("  version   print the version");
                return command is "help" or "--help" or "-h" ? 0 : 2;
        }
    }

    private static string Version =>
        typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
