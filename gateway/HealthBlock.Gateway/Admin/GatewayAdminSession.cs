using HealthBlock.Crypto;
using HealthBlock.Gateway.Devices;
using HealthBlock.Gateway.Keys;
using HealthBlock.Gateway.Mqtt;
using HealthBlock.Gateway.Store;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthBlock.Gateway.Admin;

/// <summary>
/// The way to a gateway's admin operations from outside the service (the CLI): when the gateway runs (it holds the
/// data folder's lock), through its signed admin endpoint; when it is stopped, on its store directly, holding the
/// lock for as long as the session lasts so that the gateway cannot start meanwhile.
/// </summary>
public sealed class GatewayAdminSession : IAsyncDisposable
{
    private readonly IDisposable[] _owned;

    private GatewayAdminSession(IGatewayAdmin admin, bool running, params IDisposable[] owned)
    {
        Admin = admin;
        Running = running;
        _owned = owned;
    }

    /// <summary>The operations.</summary>
    public IGatewayAdmin Admin { get; }

    /// <summary>True when the gateway runs and answers through its endpoint.</summary>
    public bool Running { get; }

    /// <summary>Opens a session on <paramref name="dataFolder"/>.</summary>
    /// <param name="dataFolder">The gateway's data folder.</param>
    /// <param name="patient">The patient's key (signs endpoint requests; opens sealed secrets when stopped). Owned by the caller.</param>
    /// <param name="ledger">The ledger to use when the gateway is stopped (grant, revoke, pay, status need it), or null.</param>
    /// <param name="time">The clock.</param>
    /// <exception cref="GatewayAdminException">The gateway runs but its endpoint's URL is missing.</exception>
    public static GatewayAdminSession Open(string dataFolder, IdentityKey patient, ILedger? ledger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(patient);
        var folder = new GatewayDataFolder(dataFolder);
        var held = folder.TryLock();
        if (held is null)
        {
            var url = folder.ReadAdminUrl()
                ?? throw new GatewayAdminException(503, $"the gateway data folder {folder.Path} is in use{(folder.HolderPid() is { } pid ? $" by pid {pid}" : "")} but no admin endpoint is written in {folder.AdminUrlPath}");
            return new GatewayAdminSession(new AdminClient(url, patient, time), true);
        }

        GatewayStore? store = null;
        try
        {
            store = GatewayStore.Open(folder.Path);
            var sealer = SecretSealer.Open(store, patient);
            var devices = new DeviceRegistry(store, sealer, time);
            var keys = ledger is null ? null : new PatientKeyManager(store, sealer, new LedgerSubmitter(patient, Network(store, ledger), new StoreNonceCounter(store), ledger, time), ledger, NullLogger.Instance, time);
            var uplink = BrokerTransport.ForStoppedGateway(store.Meta.Get(BrokerTransport.MetaName), folder.Path);
            return new GatewayAdminSession(new LocalGatewayAdmin(patient.Id, store, devices, keys, ledger, running: false, uplink), false, store, held);
        }
        catch
        {
            store?.Dispose();
            held.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        (Admin as IDisposable)?.Dispose();
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The folder's pinned network; a folder whose gateway never ran takes (and pins) the ledger's.</summary>
    private static NetworkId Network(GatewayStore store, ILedger ledger)
    {
        var pinned = store.Meta.Get(NetworkPin.Name);
        return NetworkPin.ResolveAsync(ledger, pinned, b => store.Meta.GetOrAdd(NetworkPin.Name, b), store.Path).GetAwaiter().GetResult();
    }
}
