using CollectorCluster.Actors.Accounts;

namespace CollectorCluster.Node.Hosting;

/// <summary>What applying a file or a command did to one account, as the operator reads it.</summary>
/// <param name="Id">The account.</param>
/// <param name="Change">What happened (<see cref="SettingsChange.Refused"/> also for a conflict or an account that did not answer).</param>
/// <param name="Keys">With <see cref="SettingsChange.Changed"/>: the keys that changed.</param>
/// <param name="Detail">Why it was refused, or empty.</param>
public sealed record AccountChangeLine(string Id, SettingsChange Change, IReadOnlyList<string> Keys, string Detail)
{
    /// <summary>One line: <c>a: changed (password, check-every)</c>.</summary>
    public override string ToString() => Change switch
    {
        SettingsChange.Changed => $"{Id}: changed ({string.Join(", ", Keys)})",
        SettingsChange.Refused => $"{Id}: NOT applied: {Detail}",
        _ => $"{Id}: {Change.ToString().ToLowerInvariant()}",
    };
}
