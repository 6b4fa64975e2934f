using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.State;

namespace CollectorCluster.Core.Migration;

/// <summary>
/// Whether an account takes over the UIDLs of its <c>imported-uidls</c> seed now: once per seed file, and only when the
/// seed was written for the account's own mailbox (server and login), so a copied or stale file never marks another
/// mailbox's messages as collected.
/// </summary>
public static class SeedAdoption
{
    /// <summary>The event to journal (null: nothing to do) and a warning for the operator (null: none).</summary>
    /// <param name="state">The account's state.</param>
    /// <param name="account">Its settings.</param>
    /// <param name="read">Reads the seed file (the account's <c>imported-uidls</c>); throws <see cref="IOException"/> or <see cref="FormatException"/>.</param>
    /// <param name="now">The time of the take-over.</param>
    public static (UidlsImported? Imported, string? Warning) Decide(AccountState state, AccountSettings account, Func<string, string> read, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(read);
        if (account.ImportedUidls is not { } file || state.ImportedSeeds.Contains(file))
        {
            return (null, null);
        }

        UidlSeed seed;
        try
        {
            seed = UidlSeed.Parse(read(file), file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return (null, $"imported-uidls {file} not taken over: {e.Message}");
        }

        if (!seed.IsFor(account.Pop3Server, account.Pop3Account))
        {
            return (null, $"imported-uidls {file} not taken over: it holds the UIDLs of {seed.User} at {seed.Server}, not of {account.Address}");
        }

        return (new UidlsImported(file, seed.Origin, seed.Uidls, now), null);
    }
}
