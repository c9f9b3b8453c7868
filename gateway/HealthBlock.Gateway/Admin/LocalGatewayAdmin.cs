using HealthBlock.Crypto;
using HealthBlock.Gateway.Devices;
using HealthBlock.Gateway.Keys;
using HealthBlock.Gateway.Store;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Frames;

namespace HealthBlock.Gateway.Admin;

/// <summary>
/// The admin operations carried out on a gateway's store: by the running gateway behind its <see cref="AdminEndpoint"/>,
/// and by the CLI while the gateway is stopped (it then holds the data folder's lock). Operations that need the ledger
/// (grant, revoke, pay, status) are refused without one.
/// </summary>
public sealed class LocalGatewayAdmin : IGatewayAdmin
{
    private readonly IdentityId _patient;
    private readonly GatewayStore _store;
    private readonly DeviceRegistry _devices;
    private readonly PatientKeyManager? _keys;
    private readonly ILedgerReader? _ledger;
    private readonly bool _running;
    private readonly bool _pendingByDefault;
    private readonly Func<IReadOnlyDictionary<string, long>> _rejections;
    private readonly DeviceUplinkOptions _uplink;

    /// <summary>Creates the operations over a gateway's parts.</summary>
    /// <param name="patient">The patient.</param>
    /// <param name="store">The gateway store.</param>
    /// <param name="devices">Its device registry.</param>
    /// <param name="keys">Its key manager, or null without a ledger.</param>
    /// <param name="ledger">The ledger, or null.</param>
    /// <param name="running">True inside the running gateway.</param>
    /// <param name="uplink">How paired devices reach the broker (TLS and its CA, or plaintext); pairing adds each device's credentials.</param>
    /// <param name="pendingByDefault">New devices stay pending until the pairing button is pressed.</param>
    /// <param name="rejections">Refused frames by reason (null: the totals persisted in the store).</param>
    public LocalGatewayAdmin(IdentityId patient, GatewayStore store, DeviceRegistry devices, PatientKeyManager? keys, ILedgerReader? ledger, bool running, DeviceUplinkOptions uplink, bool pendingByDefault = false, Func<IReadOnlyDictionary<string, long>>? rejections = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(uplink);
        _uplink = uplink;
        ArgumentNullException.ThrowIfNull(devices);
        _patient = patient;
        _store = store;
        _devices = devices;
        _keys = keys;
        _ledger = ledger;
        _running = running;
        _pendingByDefault = pendingByDefault;
        _rejections = rejections ?? store.Rejections.Totals;
    }

    /// <inheritdoc />
    public Task<PairedDevice> PairAsync(PairRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = ParseDevice(request.Device);
        try
        {
            // Checked before the device is paired, so a broker the firmware would refuse pairs nothing.
            PairingPrinter.Format(id, _patient.ToString(), new byte[Protocol.Pairing.PairingBlob.KeyLength], request.BrokerHost, request.BrokerPort, _uplink);
        }
        catch (ArgumentException e)
        {
            throw new GatewayAdminException(400, $"broker '{request.BrokerHost}:{request.BrokerPort}' cannot go into a pairing blob ({e.Message})");
        }

        if (_uplink.RefusesHost(request.BrokerHost) is { } problem)
        {
            throw new GatewayAdminException(400, problem);
        }

        DeviceEntry entry;
        try
        {
            entry = _devices.Pair(id, request.Pending || _pendingByDefault ? DeviceState.Pending : DeviceState.Active, request.Replace);
        }
        catch (DeviceAlreadyPairedException e)
        {
            throw new GatewayAdminException(409, e.Message);
        }

        var blob = PairingPrinter.Format(entry.Id, _patient.ToString(), entry.Key, request.BrokerHost, request.BrokerPort, _uplink.ForDevice(entry));
        return Task.FromResult(new PairedDevice(DeviceFrame.FormatDeviceId(id), Name(entry.State), entry.Pairing, blob));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DeviceSummary>> DevicesAsync(CancellationToken cancellationToken = default)
    {
        var activity = _store.Devices.Activity().ToDictionary(a => a.Id);
        IReadOnlyList<DeviceSummary> list = [.. _devices.Devices.Select(d => Summary(d, activity.GetValueOrDefault(d.Id)))];
        return Task.FromResult(list);
    }

    /// <inheritdoc />
    public Task<DeviceSummary> UnpairAsync(string device, CancellationToken cancellationToken = default)
    {
        var id = ParseDevice(device);
        if (!_devices.TryGet(id, out var existing) || existing.State == DeviceState.Removed)
        {
            throw new GatewayAdminException(404, $"device {DeviceFrame.FormatDeviceId(id)} is not paired");
        }

        var entry = _devices.SetState(id, DeviceState.Removed);
        return Task.FromResult(Summary(entry, _store.Devices.Activity().FirstOrDefault(a => a.Id == id)));
    }

    /// <inheritdoc />
    public Task<EpochChange> GrantAsync(string doctor, CancellationToken cancellationToken = default) =>
        KeyChangeAsync(keys => keys.GrantAsync(ParseIdentity(doctor), cancellationToken));

    /// <inheritdoc />
    public Task<EpochChange> RevokeAsync(string doctor, CancellationToken cancellationToken = default) =>
        KeyChangeAsync(keys => keys.RevokeAsync(ParseIdentity(doctor), cancellationToken));

    /// <inheritdoc />
    public async Task<PaymentResult> PayAsync(PaymentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var keys = Keys();
        var doctor = ParseIdentity(request.Doctor);
        var location = await LedgerCallAsync(() => keys.PayAsync(doctor, request.Amount, cancellationToken)).ConfigureAwait(false);
        return new PaymentResult(location.ToString());
    }

    /// <inheritdoc />
    public async Task<ConsentResult> ConsentAsync(ConsentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var keys = Keys();
        var statistics = ParseIdentity(request.Statistics);
        var location = await LedgerCallAsync(() => keys.ConsentAsync(statistics, request.OptIn, cancellationToken)).ConfigureAwait(false);
        return new ConsentResult(location.ToString());
    }

    /// <inheritdoc />
    public async Task<PatientStatus> StatusAsync(CancellationToken cancellationToken = default)
    {
        var ledger = _ledger ?? throw NoLedger();
        return await LedgerCallAsync(async () =>
        {
            var onLedger = await ledger.GetPatientKeysAsync(_patient, cancellationToken).ConfigureAwait(false);
            var balance = await ledger.GetBalanceAsync(_patient, cancellationToken).ConfigureAwait(false);
            var credits = new Dictionary<string, ulong>();
            foreach (var doctor in onLedger?.Doctors ?? [])
            {
                credits[doctor.ToString()] = await ledger.GetCreditAsync(doctor, _patient, cancellationToken).ConfigureAwait(false);
            }

            var (parkedBatches, parkedFrames) = _store.Batches.RefusedTotals();
            return new PatientStatus(
                _patient.ToString(),
                _running,
                onLedger?.Epoch,
                [.. (onLedger?.Doctors ?? []).Select(d => d.ToString())],
                balance,
                credits,
                _store.Backlog(),
                parkedBatches,
                parkedFrames,
                _rejections());
        }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ParkedBatch>> ParkedAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ParkedBatch> parked = [.. _store.Batches.Parked().Select(p => new ParkedBatch(p.Number, p.Epoch, p.Frames, p.Reason, p.ParkedMs, p.Held))];
        return Task.FromResult(parked);
    }

    /// <inheritdoc />
    public async Task<ParkedBatch> DropParkedAsync(ulong batch, CancellationToken cancellationToken = default)
    {
        var parked = (await ParkedAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(p => p.Batch == batch)
            ?? throw new GatewayAdminException(404, $"batch {batch} is not parked");
        if (parked.FramesHeld == 0)
        {
            throw new GatewayAdminException(409, $"batch {batch} holds no readings any more (dropped already)");
        }

        _store.Batches.DropParked(batch);
        return parked with { FramesHeld = 0 };
    }

    private async Task<EpochChange> KeyChangeAsync(Func<PatientKeyManager, Task<EpochKey>> change)
    {
        var keys = Keys();
        var epoch = await LedgerCallAsync(() => change(keys)).ConfigureAwait(false);
        return new EpochChange(epoch.Epoch);
    }

    private PatientKeyManager Keys() => _keys ?? throw NoLedger();

    private static GatewayAdminException NoLedger() =>
        new(400, "the gateway is not running and no ledger was given: pass --ledger URL (or start the gateway)");

    /// <summary>Runs a ledger call, turning its refusals into admin refusals.</summary>
    private static async Task<T> LedgerCallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (LedgerRejectedException e)
        {
            throw new GatewayAdminException(e.Reason.IsTransient() ? 503 : 422, $"the ledger refused it: {e.Reason}: {e.Detail}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new GatewayAdminException(409, e.Message, e);
        }
        catch (HttpRequestException e)
        {
            throw new GatewayAdminException(502, $"the ledger is unreachable: {e.Message}", e);
        }
    }

    private static DeviceSummary Summary(DeviceEntry d, DeviceActivityRow? a) => new(
        DeviceFrame.FormatDeviceId(d.Id), Name(d.State), d.Pairing, d.PairedMs,
        a?.LastSequence, a?.LastFrameMs, a?.Frames ?? 0);

    private static string Name(DeviceState state) => state.ToString().ToLowerInvariant();

    private static ulong ParseDevice(string text) =>
        DeviceFrame.TryParseDeviceId((text ?? "").ToLowerInvariant(), out var id) ? id : throw new GatewayAdminException(400, $"device '{text}' is not 16 hex digits");

    private static IdentityId ParseIdentity(string text) =>
        IdentityId.TryParse(text, out var id) ? id : throw new GatewayAdminException(400, $"'{text}' is not an identity id (32 lowercase base32 characters)");
}
