using System.Globalization;

namespace CollectorCluster.Pop3.Protocol;

/// <summary>
/// Turns CAPA lines (RFC 2449) into <see cref="Pop3ServerCapabilities"/>. Unknown capabilities are ignored
/// and malformed arguments leave the value unset, because CAPA is advisory and must never break a session. The
/// texts kept (IMPLEMENTATION, EXPIRE) reach warnings and logs, so they are sanitized and bounded here; SASL
/// names are kept only when they are names (RFC 4422: 1 to 20 of A-Z, 0-9, '-' and '_').
/// </summary>
internal static class CapabilityParser
{
    private const int MaxSaslMechanisms = 32;
    private const int MaxExpireLength = 64;

    /// <summary>Parses the lines between the +OK and the terminating dot.</summary>
    public static Pop3ServerCapabilities Parse(IEnumerable<string> lines)
    {
        bool uidl = false, top = false, pipelining = false, stls = false, respCodes = false, authRespCode = false;
        var sasl = new List<string>();
        int? loginDelay = null;
        string? expire = null, implementation = null;

        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var space = line.IndexOf(' ');
            var keyword = (space < 0 ? line : line[..space]).ToUpperInvariant();
            var argument = space < 0 ? string.Empty : line[(space + 1)..].Trim();
            switch (keyword)
            {
                case "UIDL": uidl = true; break;
                case "TOP": top = true; break;
                case "PIPELINING": pipelining = true; break;
                case "STLS": stls = true; break;
                case "RESP-CODES": respCodes = true; break;
                case "AUTH-RESP-CODE": authRespCode = true; break;
                case "SASL":
                    foreach (var mechanism in argument.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        var name = mechanism.ToUpperInvariant();
                        if (IsSaslName(name) && !sasl.Contains(name) && sasl.Count < MaxSaslMechanisms)
                        {
                            sasl.Add(name);
                        }
                    }

                    break;
                case "LOGIN-DELAY":
                    var first = argument.Split(' ', 2)[0];
                    if (int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                    {
                        loginDelay = seconds;
                    }

                    break;
                case "EXPIRE":
                    expire = argument.Length == 0 ? null : Pop3Text.Sanitize(argument, MaxExpireLength);
                    break;
                case "IMPLEMENTATION":
                    implementation = Pop3Text.Sanitize(argument);
                    break;
            }
        }

        return new Pop3ServerCapabilities(true, uidl, top, pipelining, stls, respCodes, authRespCode, sasl, loginDelay, expire, implementation);
    }

    private static bool IsSaslName(string name) =>
        name.Length is >= 1 and <= 20 && name.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_');
}
