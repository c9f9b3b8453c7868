using HealthBlock.Gateway.Admin;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Frames;
using HealthBlock.Storage;
using HealthBlock.Web;
using HealthBlock.Web.Ecg;
using HealthBlock.Web.Trail;

namespace HealthBlock.Gateway.Web;

/// <summary>
/// What the patient page reads and does, from the running gateway: its devices and journal (the live strip includes
/// frames not yet batched), the committed batches opened with the patient's own IoT keys (history), the diagnoses
/// opened with the diagnosis keys the patient issued, the access trail from both chains, and grant, revoke and pay
/// through the gateway's admin operations.
/// </summary>
internal sealed class GatewayPatientRecords : IPatientRecords, IDisposable
{
    private readonly GatewayService _gateway;
    private readonly IDiagnosisSource? _diagnoses;
    private readonly RecordArchive _archive;
    private readonly PatientLedger _ledger;

    public GatewayPatientRecords(GatewayService gateway, ILedgerReader ledger, IContentStore store, PatientPageOptions options)
    {
        _gateway = gateway;
        _diagnoses = options.Diagnoses;
        _archive = new RecordArchive(ledger, store, gateway.Patient.Id, epoch => gateway.Keys.Epoch(epoch)?.IotKey, options.Archive);
        _ledger = new PatientLedger(ledger, gateway.Patient.Id);
    }

    public string Patient => _gateway.Patient.Id.ToString();

    public async Task<IReadOnlyList<DeviceView>> DevicesAsync(CancellationToken cancellationToken)
    {
        var now = _gateway.Options.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var devices = await _gateway.Admin.DevicesAsync(cancellationToken).ConfigureAwait(false);
        return [.. devices.Select(d => new DeviceView(d.Device, d.State, d.LastFrameMs, d.Frames, d.LastFrameMs is { } t && now - t < 10_000))];
    }

    public Task<EcgSeries> LiveEcgAsync(string device, int seconds, CancellationToken cancellationToken)
    {
        var id = ParseDevice(device);
        var frames = _gateway.Store.Frames.Newest(id, (byte)SensorKind.Ecg, seconds * 1000L).Select(b => EcgSamples.FromFrame(DeviceFrame.Decode(b))).ToList();
        if (frames.Count == 0)
        {
            return Task.FromResult(new EcgSeries(device, 0, 0, 0, false, [], [], []));
        }

        var to = frames.Max(f => f.EndMs);
        return Task.FromResult(EcgSeriesBuilder.Build(id, frames, to - (seconds * 1000L), to, EcgSeriesBuilder.MaxPoints));
    }

    public Task<EcgSeries> EcgAsync(string device, long fromMs, long toMs, int maxPoints, CancellationToken cancellationToken) =>
        _archive.EcgAsync(ParseDevice(device), fromMs, toMs, maxPoints, cancellationToken);

    public Task<IReadOnlyList<VitalSign>> VitalsAsync(long fromMs, long toMs, CancellationToken cancellationToken) =>
        _archive.VitalsAsync(fromMs, toMs, cancellationToken);

    public async Task<IReadOnlyList<DiagnosisView>> DiagnosesAsync(CancellationToken cancellationToken)
    {
        if (_diagnoses is null)
        {
            return [];
        }

        var keys = _gateway.Keys.Doctors().ToDictionary(d => d.Id, d => d.DiagnosisKey);
        return await _diagnoses.ReadAsync(_gateway.Patient.Id, d => keys.GetValueOrDefault(d), cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<DoctorView>> DoctorsAsync(CancellationToken cancellationToken) => _ledger.DoctorsAsync(cancellationToken);

    public Task<IReadOnlyList<TrailEntry>> TrailAsync(CancellationToken cancellationToken) => _ledger.TrailAsync(cancellationToken);

    public async Task<CommittedAction> GrantAsync(string doctor, CancellationToken cancellationToken)
    {
        var change = await AdminAsync(() => _gateway.Admin.GrantAsync(doctor, cancellationToken)).ConfigureAwait(false);
        return await KeyTransactionAsync($"granted {doctor}", change.Epoch, cancellationToken).ConfigureAwait(false);
    }

    public async Task<CommittedAction> RevokeAsync(string doctor, CancellationToken cancellationToken)
    {
        var change = await AdminAsync(() => _gateway.Admin.RevokeAsync(doctor, cancellationToken)).ConfigureAwait(false);
        return await KeyTransactionAsync($"revoked {doctor}", change.Epoch, cancellationToken).ConfigureAwait(false);
    }

    public async Task<CommittedAction> PayAsync(string doctor, ulong amount, CancellationToken cancellationToken)
    {
        var paid = await AdminAsync(() => _gateway.Admin.PayAsync(new PaymentRequest(doctor, amount), cancellationToken)).ConfigureAwait(false);
        var trail = await _ledger.TrailAsync(cancellationToken).ConfigureAwait(false);
        var entry = trail.LastOrDefault(t => t.Location == paid.Location);
        return new CommittedAction($"paid {amount} Healthcoin to {doctor}", entry?.TransactionId ?? "", paid.Location);
    }

    public void Dispose()
    {
        _archive.Dispose();
        _ledger.Dispose();
    }

    /// <summary>The key transaction of <paramref name="epoch"/>, read back from the trail.</summary>
    private async Task<CommittedAction> KeyTransactionAsync(string what, uint epoch, CancellationToken cancellationToken)
    {
        var trail = await _ledger.TrailAsync(cancellationToken).ConfigureAwait(false);
        var entry = trail.LastOrDefault(t => t.Kind == "key" && t.Summary.StartsWith($"epoch {epoch}:", StringComparison.Ordinal))
            ?? throw new PageActionException($"epoch {epoch} committed but its key transaction is not readable yet; reload the page");
        return new CommittedAction($"{what} (epoch {epoch})", entry.TransactionId, entry.Location);
    }

    private static async Task<T> AdminAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (GatewayAdminException e)
        {
            throw new PageActionException(e.Message, e);
        }
    }

    private static ulong ParseDevice(string device) =>
        DeviceFrame.TryParseDeviceId((device ?? "").ToLowerInvariant(), out var id) ? id : throw new ArgumentException($"device '{device}' is not 16 hex digits");
}
