using System.Globalization;
using System.Text.Json.Nodes;

namespace CollectorCluster.Node.Web;

/// <summary>
/// One line of the Remote POP3 Mailboxes list, as shown (texts formatted once, here): made from the data of
/// <c>collector list --json</c>, rendered by the page and pushed by the live feed alike.
/// </summary>
public sealed record AccountRow(
    string Id,
    string Address,
    string Node,
    string Status,
    string Health,
    string HealthReason,
    string LastCollection,
    string Outcome,
    string NextDue,
    long OnServer,
    long TotalCollected,
    long TotalBytes)
{
    /// <summary>The row of one account of the list's data.</summary>
    public static AccountRow From(JsonNode account)
    {
        ArgumentNullException.ThrowIfNull(account);
        var last = account["lastCollection"];
        var outcome = last is null
            ? "never"
            : last["succeeded"]?.GetValue<bool>() == true
                ? $"ok, {Number(last["collected"])} collected ({Number(last["bytes"])} bytes)"
                : $"failed: {Str(last["detail"])}";
        return new AccountRow(
            Str(account["id"]),
            Str(account["address"]) is { Length: > 0 } address ? address : "-",
            ShortNode(Str(account["node"])),
            Str(account["status"]),
            Str(account["health"]),
            Str(account["healthReason"]),
            Time(last?["finishedAt"]),
            outcome,
            Time(account["nextDue"]),
            Number(account["collectedOnServer"]),
            Number(account["totalCollected"]),
            Number(account["totalBytes"]));
    }

    /// <summary>The row as the live feed sends it.</summary>
    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["address"] = Address,
        ["node"] = Node,
        ["status"] = Status,
        ["health"] = Health,
        ["healthReason"] = HealthReason,
        ["lastCollection"] = LastCollection,
        ["outcome"] = Outcome,
        ["nextDue"] = NextDue,
        ["onServer"] = OnServer,
        ["totalCollected"] = TotalCollected,
        ["totalBytes"] = TotalBytes,
    };

    /// <summary>A time as the CLI prints it (<c>2026-12-06 04:57:28Z</c>), or <c>-</c>.</summary>
    public static string Time(JsonNode? value) =>
        value is not null && DateTimeOffset.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : "-";

    /// <summary>A member address without the protocol and system name (<c>akka.tcp://collector@10.0.0.5:4053</c> → <c>10.0.0.5:4053</c>).</summary>
    public static string ShortNode(string address) => address.Length == 0 ? "-" : address[(address.IndexOf('@', StringComparison.Ordinal) + 1)..];

    private static string Str(JsonNode? value) => value?.GetValue<string>() ?? "";

    private static long Number(JsonNode? value) => value is null ? 0 : value.GetValue<long>();
}
