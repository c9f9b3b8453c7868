using System.Security.Cryptography;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.LedgerGrowth.Bench;

/// <summary>
/// The simulated deployment and its traffic in the period design: each patient (one ECG wearable, blood pressure every
/// 20 min, temperature every 10 s) publishes one IoT transaction per 60 s period committing that minute's sealed batch
/// and live sub-batches by their Merkle root; each of the patient's two doctors writes one summary diagnosis per
/// 15 min covering the period transactions of that quarter hour.
/// </summary>
internal sealed class Population : IDisposable
{
    public const int PeriodSeconds = 60;
    public const int SummarySeconds = 15 * 60;
    public const int BloodPressureMinutes = 20;
    private const ulong Coins = 1_000_000_000;

    private readonly Patient[] _patients;
    private readonly Doctor[] _doctors;
    private readonly IdentityKey _admin;
    private readonly TransactionSigner _adminSigner;
    private readonly SimClock _adminClock = new();
    private readonly NetworkId _network;

    public Population(int patients, Genesis genesis, IdentityKey admin)
    {
        _network = genesis.NetworkId;
        _admin = admin;
        _adminSigner = new TransactionSigner(admin, _network, 1, _adminClock);
        _doctors = [.. Enumerable.Range(0, Math.Max(2, patients / 50)).Select(_ => new Doctor(IdentityKey.Generate(), _network))];
        _patients = [.. Enumerable.Range(0, patients).Select(i => new Patient(IdentityKey.Generate(), _network, [_doctors[(2 * i) % _doctors.Length], _doctors[((2 * i) + 1) % _doctors.Length]]))];
    }

    public int Count => _patients.Length;

    public IdentityId PatientId(int i) => _patients[i].Key.Id;

    /// <summary>Registers doctors and patients, funds the patients, grants each patient's doctors and pays them.</summary>
    public void Setup(ChainWriter writer, long timeMs)
    {
        _adminClock.NowMs = timeMs;
        foreach (var p in _patients)
        {
            p.Clock.NowMs = timeMs;
        }

        writer.Append(ChainId.Userchain, timeMs, [.. _doctors.Select(d => _adminSigner.Sign(RegisterPayload.For(d.Key.Public, Role.Doctor, "doctor")))]);
        foreach (var chunk in _patients.Chunk(500))
        {
            writer.Append(ChainId.Userchain, timeMs, [.. chunk.Select(p => _adminSigner.Sign(RegisterPayload.For(p.Key.Public, Role.Patient, "patient")))]);
            writer.Append(ChainId.Userchain, timeMs, [.. chunk.Select(p => _adminSigner.Sign(new IssuePayload(p.Key.Id, Coins)))]);
            writer.Append(ChainId.Userchain, timeMs, [.. chunk.Select(p => p.Signer.Sign(Grant(p)))]);
            writer.Append(ChainId.Userchain, timeMs, [.. chunk.SelectMany(p => p.Doctors.Select(d => p.Signer.Sign(new PaymentPayload(d.Key.Id, Coins / 4))))]);
        }
    }

    /// <summary>
    /// Each patient's signed IoT transaction of period <paramref name="period"/> (starting at
    /// <paramref name="periodStartMs"/>; a patient publishes at its own second of the minute). Independent of what was
    /// written, so the next period is signed on another core while this one is written.
    /// </summary>
    public Transaction[] SignIot(long period, long periodStartMs) => SignPeriod(period, i => periodStartMs + ((i % PeriodSeconds) * 1000L));

    /// <summary>Writes period <paramref name="period"/>: its IoT transactions (from <see cref="SignIot"/>), a block per second, and the summaries due.</summary>
    public void WritePeriod(ChainWriter writer, long period, long periodStartMs, Transaction[] iot)
    {
        for (var second = 0; second < PeriodSeconds; second++)
        {
            var at = periodStartMs + (second * 1000L);
            var due = new List<Transaction>();
            for (var i = second; i < _patients.Length; i += PeriodSeconds)
            {
                due.Add(iot[i]);
                _patients[i].Committed(iot[i]);
            }

            writer.Append(ChainId.Userchain, at, due);
            writer.Append(ChainId.Docchain, at + 500, Summaries((period * PeriodSeconds) + second, at + 500));
        }
    }

    /// <summary>Each patient's IoT transaction of period <paramref name="period"/>, signed in parallel (each patient has its own signer and clock) at <paramref name="timeOf"/>(patient).</summary>
    public Transaction[] SignPeriod(long period, Func<int, long> timeOf)
    {
        var iot = new Transaction[_patients.Length];
        Parallel.For(0, _patients.Length, i =>
        {
            var p = _patients[i];
            var at = timeOf(i);
            p.Clock.NowMs = at;
            iot[i] = p.Signer.Sign(p.NextIot(period, at));
        });
        return iot;
    }

    public void Dispose()
    {
        foreach (var p in _patients)
        {
            p.Key.Dispose();
        }

        foreach (var d in _doctors)
        {
            d.Key.Dispose();
        }
    }

    private static KeyPayload Grant(Patient p) =>
        new(1, [.. p.Doctors.Select(d => new KeyEnvelope(d.Key.Id, RandomNumberGenerator.GetBytes(Envelope.Overhead + 32), RandomNumberGenerator.GetBytes(Envelope.Overhead + 32))).OrderBy(e => e.Doctor)]);

    /// <summary>The summaries due at simulated second <paramref name="second"/>: each (patient, doctor) pair every 15 min, spread over the quarter hour.</summary>
    private List<Transaction> Summaries(long second, long timeMs)
    {
        var due = new List<Transaction>();
        if (second < SummarySeconds)
        {
            return due;
        }

        var slot = (int)(second % SummarySeconds);
        for (var pair = slot; pair < _patients.Length * 2; pair += SummarySeconds)
        {
            var p = _patients[pair / 2];
            var doctor = p.Doctors[pair % 2];
            doctor.Clock.NowMs = timeMs;
            var covers = p.Recent.OrderBy(c => c, ByteArrayComparer.Instance).ToList();
            due.Add(doctor.Signer.Sign(new DiagnosisPayload(p.Key.Id, 1, Cid.Compute(p.Key.Id.Bytes.ToArray().Concat(BitConverter.GetBytes(second)).ToArray()), covers, timeMs - (SummarySeconds * 1000L), timeMs, null)));
        }

        return due;
    }

    private sealed class Doctor(IdentityKey key, NetworkId network)
    {
        public IdentityKey Key { get; } = key;

        public SimClock Clock { get; } = new();

        public TransactionSigner Signer => field ??= new TransactionSigner(Key, network, 1, Clock);
    }

    private sealed class Patient(IdentityKey key, NetworkId network, Doctor[] doctors)
    {
        private readonly Queue<byte[]> _recent = new();
        private ulong _batch;

        public IdentityKey Key { get; } = key;

        public Doctor[] Doctors { get; } = doctors;

        public SimClock Clock { get; } = new();

        public TransactionSigner Signer => field ??= new TransactionSigner(Key, network, 1, Clock);

        /// <summary>The period transactions of the last quarter hour (what a summary covers).</summary>
        public IEnumerable<byte[]> Recent => _recent;

        public IotPayload NextIot(long period, long endMs)
        {
            var batch = _batch++;
            SensorKind[] kinds = period % BloodPressureMinutes == 0 ? [SensorKind.Ecg, SensorKind.BloodPressure, SensorKind.Temperature] : [SensorKind.Ecg, SensorKind.Temperature];
            var root = SHA256.HashData(BitConverter.GetBytes(batch).Concat(Key.Id.Bytes.ToArray()).ToArray());
            var first = (batch * PeriodSeconds) + 1;
            return new IotPayload(1, batch, Cid.Compute(root), endMs - (PeriodSeconds * 1000L), endMs, kinds, PeriodSeconds,
                new LiveAnchor(root, first, first + PeriodSeconds - 1, PeriodSeconds));
        }

        public void Committed(Transaction iot)
        {
            _recent.Enqueue(iot.IdBytes);
            if (_recent.Count > SummarySeconds / PeriodSeconds)
            {
                _recent.Dequeue();
            }
        }
    }
}
