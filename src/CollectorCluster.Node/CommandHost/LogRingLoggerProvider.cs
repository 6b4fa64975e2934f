using System.Globalization;
using Microsoft.Extensions.Logging;

namespace CollectorCluster.Node.CommandHost;

/// <summary>Feeds the node's <see cref="LogRing"/> from Microsoft.Extensions.Logging (where Akka's log events go too), one line per entry.</summary>
public sealed class LogRingLoggerProvider : ILoggerProvider
{
    private readonly LogRing _ring;

    /// <summary>Creates the provider over the node's ring.</summary>
    public LogRingLoggerProvider(LogRing ring) => _ring = ring;

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new RingLogger(_ring, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class RingLogger(LogRing ring, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var time = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            var text = formatter(state, exception);
            // One line per entry: the exception's type and message, not its stack (that stays on stderr).
            var error = exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})";
            ring.Add($"{time} {Level(logLevel)} {category}: {text.ReplaceLineEndings(" ")}{error}");
        }

        private static string Level(LogLevel level) => level switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
    }
}
