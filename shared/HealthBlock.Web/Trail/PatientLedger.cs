using System.Globalization;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Web.Trail;

/// <summary>
/// What the ledger says about a patient's access: every key transaction (who received keys, in which epoch), payment
/// (who was paid) and diagnosis or note (who diagnosed what), each with its block's time, height and hash. Read
/// incrementally from both chains (each read continues at the last height reached; transactions are kept by id).
/// Safe for concurrent use.
/// </summary>
public sealed class PatientLedger : IDisposable
{
    private readonly ILedgerReader _ledger;
    private readonly IdentityId _patient;
    private readonly List<TrailEntry> _entries = [];
    private readonly List<(long TimeMs, uint Epoch, IReadOnlyList<IdentityId> Doctors)> _keyTransactions = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<IdentityId, string> _names = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ulong _userchainHeight;
    private ulong _docchainHeight;

    /// <summary>The ledger view of <paramref name="patient"/>.</summary>
    public PatientLedger(ILedgerReader ledger, IdentityId patient)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        _ledger = ledger;
        _patient = patient;
    }

    /// <summary>Every key transaction, payment and diagnosis concerning the patient, in time order (then chain order).</summary>
    public async Task<IReadOnlyList<TrailEntry>> TrailAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SyncAsync(cancellationToken).ConfigureAwait(false);
            return [.. _entries.OrderBy(e => e.TimeMs).ThenBy(e => e.Chain, StringComparer.Ordinal).ThenBy(e => e.Height).ThenBy(e => e.Index)];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Every doctor a key transaction of the patient ever named: its name, whether the latest key transaction names it,
    /// when its current grant began (the first key transaction of the latest unbroken run naming it) and in which
    /// epoch it was last named, and its credit.
    /// </summary>
    public async Task<IReadOnlyList<DoctorView>> DoctorsAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SyncAsync(cancellationToken).ConfigureAwait(false);
            var latest = _keyTransactions.Count == 0 ? [] : _keyTransactions[^1].Doctors;
            var doctors = new List<DoctorView>();
            foreach (var doctor in _keyTransactions.SelectMany(k => k.Doctors).Distinct().Order())
            {
                long? granted = null;
                uint? epoch = null;
                foreach (var k in _keyTransactions)
                {
                    if (k.Doctors.Contains(doctor))
                    {
                        granted ??= k.TimeMs;
                        epoch = k.Epoch;
                    }
                    else
                    {
                        granted = null;
                    }
                }

                var credit = await _ledger.GetCreditAsync(doctor, _patient, cancellationToken).ConfigureAwait(false);
                doctors.Add(new DoctorView(doctor.ToString(), await NameAsync(doctor, cancellationToken).ConfigureAwait(false), latest.Contains(doctor), granted, epoch, credit));
            }

            return doctors;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        _userchainHeight = await ReadAsync(ChainId.Userchain, _userchainHeight, cancellationToken).ConfigureAwait(false);
        _docchainHeight = await ReadAsync(ChainId.Docchain, _docchainHeight, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ulong> ReadAsync(ChainId chain, ulong from, CancellationToken cancellationToken)
    {
        var height = from;
        await foreach (var committed in _ledger.ReadAllTransactionsForAsync(_patient, chain, from, cancellationToken).ConfigureAwait(false))
        {
            height = Math.Max(height, committed.Location.Height);
            var tx = committed.Transaction;
            var payload = tx.Body.Payload;
            var concerns = payload switch
            {
                KeyPayload or PaymentPayload => tx.Body.Signer == _patient,
                DiagnosisPayload d => d.Patient == _patient,
                _ => false,
            };
            if (!concerns || !_seen.Add(tx.IdHex))
            {
                continue;
            }

            var time = committed.BlockTimeMs;
            var (kind, summary) = await DescribeAsync(tx, time, cancellationToken).ConfigureAwait(false);
            _entries.Add(new TrailEntry(time, kind, summary, LedgerText.ChainName(chain), committed.Location.Height, committed.Location.Index, tx.IdHex, Convert.ToHexStringLower(committed.BlockHash)));
        }

        return height;
    }

    private async Task<(string Kind, string Summary)> DescribeAsync(Transaction tx, long timeMs, CancellationToken cancellationToken)
    {
        switch (tx.Body.Payload)
        {
            case KeyPayload key:
                var doctors = key.Envelopes.Select(e => e.Doctor).ToList();
                _keyTransactions.Add((timeMs, key.Epoch, doctors));
                var names = new List<string>();
                foreach (var d in doctors)
                {
                    names.Add(await NameAsync(d, cancellationToken).ConfigureAwait(false));
                }

                return ("key", string.Create(CultureInfo.InvariantCulture, $"epoch {key.Epoch}: new IoT key; keys sent to {(names.Count == 0 ? "no doctor" : string.Join(", ", names))}"));
            case PaymentPayload pay:
                var payee = await NameAsync(pay.To, cancellationToken).ConfigureAwait(false);
                return ("payment", string.Create(CultureInfo.InvariantCulture, $"paid {pay.Amount} Healthcoin to {payee}"));
            case DiagnosisPayload d when d.Follows is { } follows:
                return ("note", $"{await NameAsync(tx.Body.Signer, cancellationToken).ConfigureAwait(false)} added a clinician note to diagnosis {Convert.ToHexStringLower(follows)[..12]}…");
            case DiagnosisPayload d:
                var window = DateTimeOffset.FromUnixTimeMilliseconds(d.WindowStartMs).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                var signer = await NameAsync(tx.Body.Signer, cancellationToken).ConfigureAwait(false);
                return ("diagnosis", string.Create(CultureInfo.InvariantCulture, $"{signer} diagnosed {d.Covers.Count} batch(es) from {window} UTC ({(d.WindowEndMs - d.WindowStartMs) / 1000.0:0.#} s)"));
            default:
                return ("other", tx.Body.Type.ToString());
        }
    }

    private async Task<string> NameAsync(IdentityId id, CancellationToken cancellationToken)
    {
        if (!_names.TryGetValue(id, out var name))
        {
            var record = await _ledger.GetIdentityAsync(id, cancellationToken).ConfigureAwait(false);
            name = record is null ? id.ToString()[..8] : $"{record.Name} ({id.ToString()[..8]})";
            _names[id] = name;
        }

        return name;
    }
}
