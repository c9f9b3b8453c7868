namespace HealthBlock.Fuzz;

/// <summary>How a DER element's length is written.</summary>
public enum DerLength
{
    /// <summary>Definite, minimal (what DER requires).</summary>
    Minimal,

    /// <summary>Definite but one more than the content.</summary>
    Lie,

    /// <summary>Definite in two bytes even when one would do (BER, not DER).</summary>
    LongForm,

    /// <summary>Indefinite (BER only), closed by 00 00.</summary>
    Indefinite,
}
