namespace CollectorCluster.Core.Accounts;

/// <summary>
/// A credential that must never reach a log, journal, snapshot, CLI output or exception text.
/// <see cref="ToString"/> is redacted, so records holding a secret print safely.
/// </summary>
public sealed class Secret : IEquatable<Secret>
{
    /// <summary>What every rendering of a secret shows.</summary>
    public const string Redacted = "********";

    private readonly string _value;

    /// <summary>No password: an OAuth2 account's, or the stand-in where settings are built only for their other keys.</summary>
    public static Secret None { get; } = new(string.Empty);

    /// <summary>Wraps a clear-text value.</summary>
    public Secret(string value) => _value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>The clear text, for the one place that must send it (the POP3 login).</summary>
    public string Reveal() => _value;

    /// <inheritdoc />
    public override string ToString() => Redacted;

    /// <inheritdoc />
    public bool Equals(Secret? other) => other is not null && string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Secret);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_value);
}
