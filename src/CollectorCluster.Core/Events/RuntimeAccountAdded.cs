using CollectorCluster.Core.Accounts;

namespace CollectorCluster.Core.Events;

/// <summary>
/// An operator added (or replaced) an account at run time. <paramref name="Settings"/> is the account's HOCON
/// object without any password key, read back by the same parser as the accounts file; the password is sealed.
/// </summary>
/// <param name="Id">The account id.</param>
/// <param name="Settings">The account's HOCON object, password keys excluded.</param>
/// <param name="Password">The password, sealed with the node key.</param>
/// <param name="At">When it was added.</param>
public sealed record RuntimeAccountAdded(string Id, string Settings, SealedPassword Password, DateTimeOffset At) : IRegistryEvent;
