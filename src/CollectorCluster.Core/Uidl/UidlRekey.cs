namespace CollectorCluster.Core.Uidl;

/// <summary>One message the server renamed: its old UIDL and the new one it is listed under.</summary>
public sealed record UidlRekey(string Old, string New);
