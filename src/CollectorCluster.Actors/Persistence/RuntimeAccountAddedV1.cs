using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Events;

namespace CollectorCluster.Actors.Persistence;

/// <summary>
/// <c>RuntimeAccountAdded.v1</c> as journals written before typed settings hold it: the account's settings as a HOCON
/// object. Only read, never written: the node's read adapter upcasts it to <see cref="RuntimeAccountAdded"/> while the
/// registry recovers, so nothing past the journal sees this shape.
/// </summary>
/// <param name="Id">The account id.</param>
/// <param name="Settings">The account's HOCON object, password keys excluded.</param>
/// <param name="Password">The password, sealed with the node key.</param>
/// <param name="At">When it was added.</param>
public sealed record RuntimeAccountAddedV1(string Id, string Settings, SealedPassword Password, DateTimeOffset At);
