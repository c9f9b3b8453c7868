using HealthBlock.Ledger;

namespace HealthBlock.Gateway.Store;

/// <summary>
/// The patient's transaction nonces, counted in the gateway database so that they survive restarts and are shared by
/// the service and the CLI (which works on the database only while the service is stopped).
/// </summary>
public sealed class StoreNonceCounter : INonceCounter
{
    /// <summary>The counter's name in the database.</summary>
    public const string PatientNonce = "patient-nonce";

    private readonly GatewayStore _store;

    /// <summary>The patient's nonce counter in <paramref name="store"/>.</summary>
    public StoreNonceCounter(GatewayStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <inheritdoc />
    public ulong Take() => _store.Meta.Next(PatientNonce);

    /// <inheritdoc />
    public void RaiseTo(ulong lastUsed) => _store.Meta.RaiseTo(PatientNonce, lastUsed);
}
