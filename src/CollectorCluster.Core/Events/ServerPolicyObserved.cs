namespace CollectorCluster.Core.Events;

/// <summary>
/// A login succeeded and the server advertised a LOGIN-DELAY, or its LOGIN-DELAY / EXPIRE changed. Journalled so
/// "never connect sooner than last login + LOGIN-DELAY" holds across restarts and node moves.
/// </summary>
/// <param name="LoginAt">When the login succeeded.</param>
/// <param name="LoginDelaySeconds">LOGIN-DELAY as advertised (possibly only after login), or null.</param>
/// <param name="Expire">EXPIRE as advertised, or null.</param>
public sealed record ServerPolicyObserved(DateTimeOffset LoginAt, int? LoginDelaySeconds, string? Expire) : IAccountEvent;
