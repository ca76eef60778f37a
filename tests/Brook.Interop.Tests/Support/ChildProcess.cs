using System.Diagnostics;

namespace Brook.Interop.Tests.Support;

/// <summary>What a client process printed and how it exited.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>Runs a client (kcat, python, node) to completion with a deadline; a process that overruns it is killed.</summary>
public static class ChildProcess
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Starts a process with its standard streams redirected, for the caller to read and wait on.</summary>
    public static Process Start(string fileName, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
    }

    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, string? stdin = null, TimeSpan? timeout = null)
    {
        using Process process = Start(fileName, arguments);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }
        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout ?? DefaultTimeout}: {await stderr}");
        }
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>Where the client scripts and tools are.</summary>
public static class InteropPaths
{
    public const string Python = "/usr/bin/python3";
    public const string Node = "node";
    public const string Kcat = "kcat";

    /// <summary>tests/interop of the checkout the tests were built from.</summary>
    public static string ScriptsDirectory { get; } = FindScripts();

    public static string Script(params string[] parts) => Path.Combine([ScriptsDirectory, .. parts]);

    private static string FindScripts()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "tests", "interop");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("tests/interop not found above " + AppContext.BaseDirectory);
    }
}
