using System.Net;
using System.Runtime.InteropServices;
using Brook.Broker.Configuration;
using Brook.Broker.Hosting;
using Brook.Http.Admin;
using Brook.Logging;
using Microsoft.Extensions.Logging;

namespace Brook;

/// <summary>
/// <c>brook start</c>: loads the settings, starts a <see cref="BrookServer"/>, prints where it
/// listens, and runs until SIGINT or SIGTERM, then shuts down gracefully and exits 0.
/// </summary>
public static class StartCommand
{
    public static async Task<int> RunAsync(string[] flags, string version)
    {
        if (flags is ["--help"] or ["-h"])
        {
            PrintHelp();
            return 0;
        }
        BrookSettings settings;
        BrookServerOptions options;
        try
        {
            settings = BrookSettingsLoader.Load(flags);
            options = settings.ToServerOptions();
        }
        catch (BrookConfigurationException exception)
        {
            Console.Error.WriteLine($"brook start: {exception.Message}");
            return 2;
        }

        using var loggerFactory = new LoggerFactory([new StderrLoggerProvider()], new LoggerFilterOptions { MinLevel = settings.LogLevel });
        options.LoggerFactory = loggerFactory;
        options.WithAdminApi();

        var stopRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using PosixSignalRegistration onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => OnStopSignal(context, stopRequested));
        using PosixSignalRegistration onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => OnStopSignal(context, stopRequested));

        BrookServer server;
        try
        {
            server = await BrookServer.StartAsync(options);
        }
        catch (IOException exception)
        {
            Console.Error.WriteLine($"brook start: cannot listen: {exception.Message}");
            return 1;
        }
        catch (UnauthorizedAccessException exception)
        {
            Console.Error.WriteLine($"brook start: cannot use data directory: {exception.Message}");
            return 1;
        }

        await using (server)
        {
            PrintListening(server, version);
            await stopRequested.Task;
            Console.WriteLine("brook: stopping");
        }
        Console.WriteLine("brook: stopped");
        return 0;
    }

    // Cancelling the default action keeps the runtime from exiting before the graceful shutdown.
    private static void OnStopSignal(PosixSignalContext context, TaskCompletionSource stopRequested)
    {
        context.Cancel = true;
        stopRequested.TrySetResult();
    }

    private static void PrintListening(BrookServer server, string version)
    {
        DnsEndPoint advertised = server.AdvertisedKafkaAddress;
        Console.WriteLine($"brook {version}: node {server.NodeId} ready");
        Console.WriteLine($"kafka: {server.KafkaEndPoint} (advertised as {advertised.Host}:{advertised.Port})");
        Console.WriteLine(server.AdminEndPoint is { } admin ? $"admin: http://{admin}" : "admin: none");
        Console.WriteLine($"data: {server.DataDirectory}");
        Console.Out.Flush();
    }

    private static void PrintHelp()
    {
        Console.WriteLine("usage: brook start [--config brook.yaml] [--<setting> <value> ...]");
        Console.WriteLine();
        Console.WriteLine("Each setting comes from, later winning: its default, the YAML file (--config or BROOK_CONFIG),");
        Console.WriteLine("the environment variable, the flag.");
        Console.WriteLine();
        foreach (SettingKeys.Key key in SettingKeys.All)
        {
            Console.WriteLine($"  {key.Flag,-42} {key.EnvironmentVariable,-44} {key.Help}");
        }
    }
}
