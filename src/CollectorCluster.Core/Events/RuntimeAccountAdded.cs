using CollectorCluster.Core.Accounts;

namespace CollectorCluster.Core.Events;

/// <summary>
/// An operator added (or replaced) an account at run time: the keys it was given, typed (<see cref="AccountOptions"/>,
/// no configuration text), and its password sealed with the node key. Manifest <c>RuntimeAccountAdded.v2</c>; the v1
/// shape (settings as HOCON text) is still read and upcast to this one.
/// </summary>
/// <param name="Id">The account id.</param>
/// <param name="Settings">The keys given to <c>collector add</c>/<c>edit</c>, typed; null ones keep their defaults.</param>
/// <param name="Password">The password, sealed with the node key.</param>
/// <param name="At">When it was added.</param>
public sealed record RuntimeAccountAdded(string Id, AccountOptions Settings, SealedPassword Password, DateTimeOffset At) : IRegistryEvent;
