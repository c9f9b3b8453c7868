using System.Collections.Concurrent;
using HealthBlock.Analysis;
using HealthBlock.Doctor.Live;
using HealthBlock.Gateway.Live;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;
using Xunit.Abstractions;

namespace HealthBlock.Doctor.Tests;

/// <summary>
/// Gateway and doctor node on the live path through the gateway's broker: alarms at once citing the sealed sub-batches
/// they used (which the periods then commit), and summaries per period instead of a diagnosis per batch.
/// </summary>
public sealed class LivePathTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly LiveOptions GatewayLive = new() { SealInterval = TimeSpan.FromMilliseconds(200), Period = TimeSpan.FromSeconds(1) };
    private DoctorWorld _world = null!;

    public async Task InitializeAsync() => _world = await DoctorWorld.StartAsync(output);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task A_pause_and_a_fever_raise_cited_alarms_at_once_and_summaries_cover_every_period_without_one_per_batch()
    {
        var patient = await _world.AddPatientAsync(live: GatewayLive);
        var doctorKey = await _world.RegisterDoctorAsync("Dr. Live");
        await patient.Gateway.Keys.GrantAsync(doctorKey.Id);
        await patient.Gateway.Keys.PayAsync(doctorKey.Id, _world.Fee * 50);
        var alarms = new ConcurrentQueue<LiveAlarmEventArgs>();
        var doctor = await _world.StartDoctorAsync(doctorKey, configure: o => o with
        {
            Live = new LiveAlarmOptions { Broker = new Uri($"mqtt://127.0.0.1:{patient.Gateway.MqttPort}"), SummaryPeriod = TimeSpan.FromSeconds(4), SubscriptionRefresh = TimeSpan.FromMilliseconds(100) },
        });
        doctor.LiveAlarm += (_, a) => alarms.Enqueue(a);
        var submitted = new ConcurrentQueue<LiveAlarmEventArgs>();
        doctor.LiveAlarmSubmitted += (_, a) => submitted.Enqueue(a);
        var device = await patient.PairAsync(0x11fe_0001);
        await Task.Delay(500); // the doctor's subscription

        // 36 s of sinus rhythm at 72 bpm with one 4.5 s pause after 15 s, then a temperature of 39.8 °C.
        var rr = Enumerable.Repeat(60.0 / 72, 18).Append(4.5).Concat(Enumerable.Repeat(60.0 / 72, 30)).ToArray();
        var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions { SamplingFrequency = Signals.Rate, DurationSeconds = 36, RrIntervalsSeconds = rr, Noise = new NoiseProfile(0.01, 0.0, 0.0, 50.0, 0.05, 3), Seed = 3 });
        var samples = ecg.SamplesMv.Take(36 * Signals.Rate).Select(v => (short)Math.Round(v * 1000)).ToArray();
        var start = Signals.NowMs() - 40_000;
        for (var f = 0; f < 36; f++)
        {
            await device.PublishAsync(SensorKind.Ecg, Signals.Second(samples, f), start + (f * 1000L));
            await Task.Delay(100); // spread over several IoT periods
        }

        await device.PublishAsync(SensorKind.Temperature, [3980], start + 36_500);
        await Eventually.WaitUntilAsync(() => alarms.Any(a => a.Condition is "pause" or "asystole") && alarms.Any(a => a.Condition == "high-fever"), "the pause and fever alarms seen live", TimeSpan.FromSeconds(30));
        await Eventually.WaitUntilAsync(() => patient.Gateway.Batcher.Backlog() == 0, "every frame committed", TimeSpan.FromSeconds(30));

        // Each alarm's stage times are in path order: the frame that revealed it, received, seen, stored, submitted.
        await Eventually.WaitUntilAsync(() => submitted.Count >= 2, "the alarms submitted", TimeSpan.FromSeconds(30));
        Assert.All(submitted, a =>
        {
            Assert.True(a.FrameEndMs >= a.ReadingMs && a.ReceivedMs <= a.SeenMs && a.SeenMs <= a.StoredMs && a.StoredMs <= a.SubmittedMs, $"{a}");
            Assert.Equal(64, a.SubBatchHash.Length);
        });

        var iot = await _world.IotTransactionsAsync(patient);
        Assert.True(iot.Count >= 3, $"{iot.Count} periods");
        await Eventually.WaitUntilAsync(() => doctor.Counters.Diagnosed == iot.Count, "every IoT transaction covered by a summary", TimeSpan.FromSeconds(30));
        var read = await PatientDiagnosisReader.ReadAsync(_world.Ledger, _world.Store, patient.Id, patient.DiagnosisKeys());
        Assert.All(read, r => Assert.Null(r.Error));
        var alarmDocs = read.Where(r => r.Document!.Kind == DiagnosisKinds.Alarm).ToList();
        var summaries = read.Where(r => r.Document!.Kind == DiagnosisKinds.Summary).ToList();
        Assert.Contains(alarmDocs, r => r.Document!.Analysis!.Findings.Any(f => f.Kind == FindingKind.Pause && f.Severity == FindingSeverity.Critical));
        Assert.Contains(alarmDocs, r => r.Document!.Analysis!.Findings.Any(f => f.Kind == FindingKind.Fever && f.Severity == FindingSeverity.Critical));

        // Every cited sub-batch is a leaf of a committed period bundle of the patient, under the same epoch.
        var leaves = new HashSet<string>();
        foreach (var t in iot)
        {
            var p = (IotPayload)t.Transaction.Body.Payload;
            leaves.UnionWith(LiveBundle.Decode(await _world.Store.GetAsync(p.Cid)).Leaves().Select(Convert.ToHexString));
        }

        var diagnoses = await _world.DiagnosesAsync(patient);
        var cited = diagnoses.Where(d => d.Payload.Citations.Count > 0).ToList();
        Assert.True(cited.Count >= 2);
        Assert.All(cited, d => Assert.Empty(d.Payload.Covers));
        Assert.All(cited.SelectMany(d => d.Payload.Citations), c => Assert.Contains(Convert.ToHexString(c.Hash), leaves));

        // Summaries, not one diagnosis per batch: each IoT transaction covered exactly once, by fewer summaries than periods.
        var covered = summaries.SelectMany(s => s.Document!.Covers).ToList();
        Assert.Equal(iot.Select(t => t.Transaction.IdHex).Order(StringComparer.Ordinal), covered.Order(StringComparer.Ordinal));
        Assert.True(summaries.Count < iot.Count, $"{summaries.Count} summaries for {iot.Count} periods");
        Assert.Contains(summaries, s => s.Document!.Analysis!.Findings.Any(f => f.Kind == FindingKind.Pause));
    }
}
