using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CollectorCluster.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace CollectorCluster.Node.Observability;

/// <summary>
/// <c>collector.log.format = json</c>: one JSON object per line on standard error, for log shippers:
/// <c>time</c> (UTC, ISO 8601), <c>level</c>, <c>category</c>, <c>message</c>, and where known <c>account</c> (from
/// the actor path of an account's own lines, or the entry's field), <c>source</c> (the Akka actor path),
/// the entry's named fields (a session's <c>server</c>, <c>outcome</c>, <c>cause</c>, <c>stage</c>, counts) and
/// <c>exception</c>. Every text has its control characters escaped (<see cref="TerminalText"/>), as the text format
/// does; what reaches the log never holds a secret (passwords, tokens and keys are not logged anywhere).
/// </summary>
public sealed partial class JsonLogFormatter : ConsoleFormatter
{
    /// <summary>The formatter's name (<c>ConsoleLoggerOptions.FormatterName</c>).</summary>
    public const string FormatterName = "collector-json";

    // Akka's own metadata in its log state, and the template: not fields of the entry.
    private static readonly HashSet<string> Skipped = ["{OriginalFormat}", "ActorPath", "Timestamp", "Thread", "LogSource", "SourceContext", "Message"];

    /// <summary>Creates the formatter.</summary>
    public JsonLogFormatter()
        : base(FormatterName)
    {
    }

    /// <inheritdoc />
    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var text = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (text is null && logEntry.Exception is null)
        {
            return;
        }

        textWriter.Write(Line(DateTimeOffset.UtcNow, logEntry.LogLevel, logEntry.Category, text ?? "", logEntry.State as IEnumerable<KeyValuePair<string, object?>>, logEntry.Exception));
        textWriter.Write('\n');
    }

    /// <summary>The JSON object of one entry (without the line break).</summary>
    public static string Line(DateTimeOffset time, LogLevel level, string category, string text, IEnumerable<KeyValuePair<string, object?>>? state, Exception? exception)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("time", time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("level", Level(level));
            json.WriteString("category", Clean(category));
            var (source, message) = SplitAkka(text);
            json.WriteString("message", Clean(message.ReplaceLineEndings(" ")));
            var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (key, value) in state ?? [])
            {
                if (!Skipped.Contains(key) && !key.All(char.IsAsciiDigit) && value is not null)
                {
                    fields[key] = value;
                }
            }

            var account = fields.TryGetValue("account", out var given) ? given?.ToString() : source is null ? null : AccountOf(source);
            if (account is not null)
            {
                json.WriteString("account", Clean(account));
            }

            if (source is not null)
            {
                json.WriteString("source", Clean(source));
            }

            foreach (var (key, value) in fields.Where(f => f.Key != "account"))
            {
                switch (value)
                {
                    case int or long or short or byte:
                        json.WriteNumber(key, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                        break;
                    case double or float or decimal:
                        json.WriteNumber(key, Convert.ToDouble(value, CultureInfo.InvariantCulture));
                        break;
                    case bool flag:
                        json.WriteBoolean(key, flag);
                        break;
                    default:
                        json.WriteString(key, Clean(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""));
                        break;
                }
            }

            if (exception is not null)
            {
                json.WriteString("exception", Clean($"{exception.GetType().FullName}: {exception.Message}".ReplaceLineEndings(" ")));
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>An account's id from an actor path: sharding's <c>/sharding/account/SHARD/ID</c> or a one-shot run's <c>/user/accounts/ID</c>.</summary>
    public static string? AccountOf(string actorPath)
    {
        var match = AccountPath().Match(actorPath ?? "");
        return match.Success ? Uri.UnescapeDataString(match.Groups["id"].Value) : null;
    }

    // Akka's formatted line: [LEVEL][time][Thread n][path] message. The path and the message become fields of their own.
    private static (string? Source, string Message) SplitAkka(string text)
    {
        var match = AkkaLine().Match(text);
        return match.Success ? (match.Groups["path"].Value, match.Groups["message"].Value) : (null, text);
    }

    private static string Clean(string text) => TerminalText.Sanitize(text);

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        _ => "critical",
    };

    [GeneratedRegex(@"^\[[A-Z]+\]\[[^\]]*\]\[Thread \d+\]\[(?<path>[^\]]*)\] (?<message>.*)$", RegexOptions.Singleline)]
    private static partial Regex AkkaLine();

    [GeneratedRegex(@"/(?:sharding/account/[^/]+|user/accounts)/(?<id>[^/#]+)")]
    private static partial Regex AccountPath();
}
