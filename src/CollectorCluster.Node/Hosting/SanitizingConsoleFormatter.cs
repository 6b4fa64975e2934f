using System.Globalization;
using CollectorCluster.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace CollectorCluster.Node.Hosting;

/// <summary>
/// The node's stderr log format, one line per entry (<c>2026-11-28 15:45:00 info: Category[0] message</c>, UTC),
/// with every control character of the message and of an exception escaped (<see cref="TerminalText"/>): text from
/// a POP3 server or a delivery program reaches the log, and must not move the cursor, recolour the terminal or
/// forge a line of its own. The second layer behind the POP3 engine's own sanitizing.
/// </summary>
public sealed class SanitizingConsoleFormatter : ConsoleFormatter
{
    /// <summary>The formatter's name (<c>ConsoleLoggerOptions.FormatterName</c>).</summary>
    public const string FormatterName = "collector";

    /// <summary>Creates the formatter.</summary>
    public SanitizingConsoleFormatter()
        : base(FormatterName)
    {
    }

    /// <inheritdoc />
    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        var time = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        textWriter.Write($"{time} {Level(logEntry.LogLevel)}: {TerminalText.Sanitize(logEntry.Category)}[{logEntry.EventId.Id}] {OneLine(message)}");
        if (logEntry.Exception is { } exception)
        {
            textWriter.Write(" " + OneLine(exception.ToString()));
        }

        textWriter.Write('\n');
    }

    /// <summary>Line breaks become spaces (an entry stays one line), then whatever else is unsafe is escaped.</summary>
    private static string OneLine(string? text) => TerminalText.Sanitize((text ?? "").ReplaceLineEndings(" "));

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
