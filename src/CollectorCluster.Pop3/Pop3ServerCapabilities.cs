namespace CollectorCluster.Pop3;

/// <summary>
/// What the server advertised in CAPA (RFC 2449). Kept as plain facts so the collector can honour
/// LOGIN-DELAY and EXPIRE, which no peer client acts on, and so the engine knows when it may pipeline.
/// </summary>
/// <param name="CapaSupported">False when CAPA answered -ERR; the other flags are then assumptions.</param>
/// <param name="Uidl">UIDL is available (assumed true without CAPA until UIDL itself fails).</param>
/// <param name="Top">TOP is available.</param>
/// <param name="Pipelining">Commands may be sent without waiting for replies.</param>
/// <param name="Stls">STLS (RFC 2595) is offered.</param>
/// <param name="RespCodes">Bracketed response codes are used (RFC 2449).</param>
/// <param name="AuthRespCode">The AUTH response code is used (RFC 3206).</param>
/// <param name="SaslMechanisms">SASL mechanisms offered, upper case.</param>
/// <param name="LoginDelaySeconds">Minimum seconds between logins, when advertised.</param>
/// <param name="Expire">The EXPIRE argument as sent ("0", "NEVER", "30 USER"...), or null when not advertised.</param>
/// <param name="Implementation">The IMPLEMENTATION string, for diagnostics.</param>
public sealed record Pop3ServerCapabilities(
    bool CapaSupported,
    bool Uidl,
    bool Top,
    bool Pipelining,
    bool Stls,
    bool RespCodes,
    bool AuthRespCode,
    IReadOnlyList<string> SaslMechanisms,
    int? LoginDelaySeconds,
    string? Expire,
    string? Implementation)
{
    /// <summary>What is assumed of a server that does not implement CAPA: RFC 1939 only, UIDL optimistically.</summary>
    public static Pop3ServerCapabilities WithoutCapa { get; } =
        new(false, true, false, false, false, false, false, [], null, null, null);
}
