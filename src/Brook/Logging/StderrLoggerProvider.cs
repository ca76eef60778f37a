using Microsoft.Extensions.Logging;

namespace Brook.Logging;

/// <summary>
/// Log lines on standard error, one per event: UTC time, level, category, message. Kept tiny on
/// purpose: the console logger of Microsoft.Extensions.Logging brings options binding and a
/// background queue whose start-up cost a broker that should be ready in milliseconds avoids.
/// </summary>
public sealed class StderrLoggerProvider : ILoggerProvider
{
    private readonly Lock _writeLock = new();
    private readonly TextWriter _output;

    public StderrLoggerProvider(TextWriter? output = null)
    {
        _output = output ?? Console.Error;
    }

    public ILogger CreateLogger(string categoryName) => new StderrLogger(this, categoryName);

    public void Dispose() => _output.Flush();

    private void Write(string line)
    {
        lock (_writeLock)
        {
            _output.WriteLine(line);
            _output.Flush();
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        _ => "crit",
    };

    private sealed class StderrLogger : ILogger
    {
        private readonly StderrLoggerProvider _provider;
        private readonly string _category;

        public StderrLogger(StderrLoggerProvider provider, string category)
        {
            _provider = provider;
            _category = category;
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            string line = $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {LevelName(logLevel)} {_category}: {formatter(state, exception)}";
            if (exception is not null)
            {
                line += Environment.NewLine + exception;
            }
            _provider.Write(line);
        }
    }
}
