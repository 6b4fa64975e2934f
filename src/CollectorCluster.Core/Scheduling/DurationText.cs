using System.Globalization;
using System.Text;

namespace CollectorCluster.Core.Scheduling;

/// <summary>Short, operator-readable durations ("3m", "1m30s", "1h", "250ms") for schedule advice, so warnings read like the settings.</summary>
internal static class DurationText
{
    /// <summary>Formats a duration as its non-zero day, hour, minute, second, millisecond (and tick) parts.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var sb = new StringBuilder();
        if (value < TimeSpan.Zero)
        {
            sb.Append('-');
            value = value == TimeSpan.MinValue ? TimeSpan.MaxValue : value.Negate();
        }

        Append(sb, value.Days, "d");
        Append(sb, value.Hours, "h");
        Append(sb, value.Minutes, "m");
        Append(sb, value.Seconds, "s");
        Append(sb, value.Milliseconds, "ms");
        Append(sb, (int)(value.Ticks % TimeSpan.TicksPerMillisecond), "ticks");
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, int part, string unit)
    {
        if (part != 0)
        {
            sb.Append(part.ToString(CultureInfo.InvariantCulture)).Append(unit);
        }
    }
}
