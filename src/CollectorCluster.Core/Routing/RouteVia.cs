namespace CollectorCluster.Core.Routing;

/// <summary>Why a copy goes to a user.</summary>
public enum RouteVia
{
    /// <summary>The address's local part is the user.</summary>
    User,

    /// <summary>The local part is an alias that names the user.</summary>
    Alias,

    /// <summary>No user or alias matched (or no local address was found): the configured default user.</summary>
    Default,
}
