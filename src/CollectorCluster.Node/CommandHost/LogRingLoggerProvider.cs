using System.Globalization;
using CollectorCluster.Wire;
using Microsoft.Extensions.Logging;

namespace CollectorCluster.Node.CommandHost;

/// <summary>
/// Feeds the node's <see cref="LogRing"/> from Microsoft.Extensions.Logging (where Akka's log events go too), one line
/// per entry, with control characters escaped (<see cref="TerminalText"/>), so <c>log tail</c> never hands an
/// operator's terminal an escape sequence a POP3 server wrote.
/// </summary>
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
            // Server and program text reaches the log: no control character gets into a line log tail shows.
            ring.Add(TerminalText.Sanitize($"{time} {Level(logLevel)} {category}: {text}{error}".ReplaceLineEndings(" ")));
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
