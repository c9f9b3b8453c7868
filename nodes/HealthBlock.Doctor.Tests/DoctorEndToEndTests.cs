using System.Collections.Concurrent;
using HealthBlock.Analysis;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;
using Xunit.Abstractions;

namespace HealthBlock.Doctor.Tests;

public sealed class DoctorEndToEndTests(ITestOutputHelper output) : IAsyncLifetime
{
    private DoctorWorld _world = null!;

    public async Task InitializeAsync() => _world = await DoctorWorld.StartAsync(output);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Unpaid_batches_await_payment_then_are_diagnosed_and_the_patient_decrypts_the_analysis_of_its_frames()
    {
        var patient = await _world.AddPatientAsync();
        var doctorKey = await _world.RegisterDoctorAsync("Dr. Screening");
        await patient.Gateway.Keys.GrantAsync(doctorKey.Id);
        var doctor = await _world.StartDoctorAsync(doctorKey);
        var device = await patient.PairAsync(0xec60_0001);

        // 14 s of ECG (one frame per second, the 7th with the electrodes off), a cuff reading and a temperature.
        var ecg = Signals.EcgMicrovolts(14);
        var start = Signals.NowMs() - 20_000;
        const int LeadOffFrame = 6;
        var mv = new double[ecg.Length];
        var mask = new bool[ecg.Length];
        for (var f = 0; f < 14; f++)
        {
            var off = f == LeadOffFrame;
            var samples = off ? new short[Signals.Rate] : Signals.Second(ecg, f);
            await device.PublishAsync(SensorKind.Ecg, samples, start + (f * 1000L), off ? FrameFlags.LeadOff : FrameFlags.None);
            for (var i = 0; i < Signals.Rate; i++)
            {
                mv[(f * Signals.Rate) + i] = samples[i] / 1000.0;
                mask[(f * Signals.Rate) + i] = off;
            }
        }

        await Eventually.WaitUntilAsync(() => patient.Gateway.Batcher.CommittedFrames == 14, "the ECG frames committed");
        await device.PublishAsync(SensorKind.BloodPressure, [152, 96, 74], start + 14_500);
        await device.PublishAsync(SensorKind.Temperature, [3850], start + 15_000);
        await Eventually.WaitUntilAsync(() => patient.Gateway.Batcher.CommittedFrames == 16, "all frames committed");
        var iot = await _world.IotTransactionsAsync(patient);
        Assert.True(iot.Count >= 2, "the vitals are in a later batch than the ECG");
        await Eventually.WaitUntilAsync(() => doctor.Counters.AwaitingPayment == iot.Count, "every IoT transaction awaiting payment");

        Assert.Empty(await _world.DiagnosesAsync(patient));
        Assert.Equal(iot.Count, doctor.Counters.IotSeen);
        Assert.Equal(0, doctor.Counters.Diagnoses);

        var committed = new TaskCompletionSource<DiagnosisCommittedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        doctor.DiagnosisCommitted += (_, e) => committed.TrySetResult(e);
        await using var listener = await HealthBlock.Hosting.ServiceListener.StartAsync("127.0.0.1:0", HealthBlock.Hosting.RoleHealth.WhileRunning(() => true), [DoctorMetrics.MeterName]);
        await patient.Gateway.Keys.PayAsync(doctorKey.Id, _world.Fee);
        await Eventually.WaitUntilAsync(() => doctor.Counters.Diagnosed == iot.Count, "the IoT transactions diagnosed after the payment");
        await committed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The doctor's /metrics (the listener `healthblock doctor` runs) counts the diagnosis.
        using (var http = new HttpClient { BaseAddress = listener.Url })
        {
            var metrics = await http.GetStringAsync("metrics");
            Assert.Contains("healthblock_doctor_diagnoses_total{", metrics, StringComparison.Ordinal);
            Assert.Contains("healthblock_doctor_diagnoses_covered_batches_total{", metrics, StringComparison.Ordinal);
            Assert.Contains("healthblock_doctor_diagnosis_latency_seconds_bucket{", metrics, StringComparison.Ordinal);
        }

        // One fee paid: one diagnosis covers the whole backlog.
        var read = Assert.Single(await PatientDiagnosisReader.ReadAsync(_world.Ledger, _world.Store, patient.Id, patient.DiagnosisKeys()));
        Assert.Null(read.Error);
        var document = read.Document!;
        Assert.Equal(doctorKey.Id, read.Doctor);
        Assert.Equal(DiagnosisKinds.AutomatedScreening, document.Kind);
        Assert.Equal(DiagnosisDocument.AutomatedScreeningLabel, document.Label);
        Assert.Equal(AlgorithmInfo.ScreeningDisclaimer, document.Disclaimer);
        Assert.Equal(patient.Id.ToString(), document.Patient);
        Assert.Equal(doctorKey.Id.ToString(), document.Doctor);
        Assert.Equal(iot.Select(t => t.Transaction.IdHex).Order(StringComparer.Ordinal), document.Covers);
        Assert.Equal(start, document.WindowStartMs);
        Assert.Null(document.Follows);

        // The same analysis, done here from the frames as sent: ECG concatenated in time order, lead-off frame masked.
        var expected = EcgAnalyzer.Analyze(mv, Signals.Rate, mask);
        var recording = Assert.Single(document.Ecg);
        Assert.Equal(14, recording.Frames);
        Assert.Equal(1, recording.LeadOffFrames);
        Assert.Equal(expected.RPeaks.Count, recording.BeatCount);
        Assert.Equal(expected.HeartRate!.MeanHeartRateBpm, recording.HeartRate!.MeanHeartRateBpm, 6);
        Assert.InRange(recording.HeartRate.MeanHeartRateBpm, 68, 76);
        var ecgAlgorithms = new[] { AlgorithmInfo.QrsDetectorName, AlgorithmInfo.RhythmName, AlgorithmInfo.SignalQualityName };
        Assert.Equal(
            expected.Findings.Select(f => (f.Kind, f.Severity)).Order(),
            document.Analysis!.Findings.Where(f => ecgAlgorithms.Contains(f.Algorithm)).Select(f => (f.Kind, f.Severity)).Order());
        Assert.Contains(document.Analysis.Findings, f => f.Kind == FindingKind.LeadOff);
        Assert.Contains(document.Analysis.Findings, f => f.Kind == FindingKind.HypertensionStage2 && f.Values["systolicMmHg"] == 152 && f.Algorithm == AlgorithmInfo.BloodPressureName);
        Assert.Contains(document.Analysis.Findings, f => f.Kind == FindingKind.Fever && f.Algorithm == AlgorithmInfo.TemperatureName && f.Window!.StartSeconds == 15.0);
        Assert.All(document.Analysis.Findings, f => Assert.False(string.IsNullOrEmpty(f.AlgorithmVersion)));
        Assert.Contains(document.Readings, r => r.Kind == VitalReading.BloodPressure && r.SystolicMmHg == 152 && r.DiastolicMmHg == 96 && r.PulsePerMinute == 74);
        Assert.Contains(document.Readings, r => r.Kind == VitalReading.Temperature && r.TemperatureCelsius == 38.5);

        var e = await committed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(read.TransactionId, e.TransactionId);
        Assert.Equal(start, e.EarliestReadingMs);
        Assert.Equal(0, doctor.Counters.AwaitingPayment);
        Assert.Equal(1, doctor.Counters.Diagnoses);
    }

    [Fact]
    public async Task A_restarted_doctor_node_repeats_nothing_and_misses_nothing()
    {
        var patient = await _world.AddPatientAsync();
        var doctorKey = await _world.RegisterDoctorAsync("Dr. Restart");
        await patient.Gateway.Keys.GrantAsync(doctorKey.Id);
        await patient.Gateway.Keys.PayAsync(doctorKey.Id, _world.Fee * 50);
        var doctor = await _world.StartDoctorAsync(doctorKey);
        var device = await patient.PairAsync(0x5e57_a127);
        var published = 0;

        async Task PublishBatchAsync()
        {
            await device.PublishAsync(SensorKind.Temperature, [3700], Signals.NowMs());
            published++;
            await Eventually.WaitUntilAsync(() => patient.Gateway.Batcher.CommittedFrames == published, "the frame committed in its own batch");
        }

        for (var i = 0; i < 3; i++)
        {
            await PublishBatchAsync();
        }

        await Eventually.WaitUntilAsync(() => doctor.Counters.Diagnosed == 3, "3 diagnosed before the stop");
        await _world.StopDoctorAsync(doctor);
        for (var i = 0; i < 3; i++)
        {
            await PublishBatchAsync();
        }

        doctor = await _world.StartDoctorAsync(doctorKey);
        await Eventually.WaitUntilAsync(() => doctor.Counters.Diagnosed == 6 && doctor.Counters.InProgress == 0, "6 diagnosed after the restart");

        var iot = (await _world.IotTransactionsAsync(patient)).Select(t => t.Transaction.IdHex).ToList();
        var diagnoses = await _world.DiagnosesAsync(patient, doctorKey.Id);
        var covered = diagnoses.SelectMany(d => d.Payload.Covers.Select(Convert.ToHexStringLower)).ToList();
        Assert.Equal(6, iot.Count);
        Assert.Equal(iot.Order(StringComparer.Ordinal), covered.Order(StringComparer.Ordinal));
        Assert.Equal(diagnoses.Count, doctor.Counters.Diagnoses);
        Assert.Equal(6, doctor.Counters.IotSeen);
        Assert.Equal(0, doctor.Counters.NotAuthorised + doctor.Counters.Failed + doctor.Counters.AwaitingPayment);
    }

    [Fact]
    public async Task A_diagnosis_signed_before_a_crash_is_submitted_after_the_restart_and_not_signed_again()
    {
        var patient = await _world.AddPatientAsync();
        var doctorKey = await _world.RegisterDoctorAsync("Dr. Crash");
        await patient.Gateway.Keys.GrantAsync(doctorKey.Id);
        await patient.Gateway.Keys.PayAsync(doctorKey.Id, _world.Fee * 5);
        var gated = new GatedLedger(_world.Ledger);
        gated.Close();
        var doctor = await _world.StartDoctorAsync(doctorKey, gated);
        var device = await patient.PairAsync(0xc4a5_0001);
        await device.PublishAsync(SensorKind.Temperature, [3650], Signals.NowMs());

        var held = await gated.Held.WaitAsync(TimeSpan.FromSeconds(30));
        await _world.StopDoctorAsync(doctor);
        Assert.Null(await _world.Ledger.GetTransactionAsync(held.IdBytes));

        var committed = new TaskCompletionSource<DiagnosisCommittedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        doctor = await _world.StartDoctorAsync(doctorKey, beforeStart: node => node.DiagnosisCommitted += (_, e) => committed.TrySetResult(e));
        await Eventually.WaitUntilAsync(() => doctor.Counters.Diagnosed == 1 && doctor.Counters.InProgress == 0, "the held diagnosis committed");

        var diagnosis = Assert.Single(await _world.DiagnosesAsync(patient));
        Assert.Equal(held.IdHex, diagnosis.Tx.IdHex);
        Assert.Equal(1, doctor.Counters.Diagnoses);
        Assert.Equal(held.IdHex, (await committed.Task.WaitAsync(TimeSpan.FromSeconds(30))).TransactionId);
    }

    [Fact]
    public async Task A_revoked_doctor_diagnoses_nothing_after_the_revocation_and_the_ledger_refusal_is_counted()
    {
        var patient = await _world.AddPatientAsync();
        var revokedKey = await _world.RegisterDoctorAsync("Dr. Revoked");
        var keptKey = await _world.RegisterDoctorAsync("Dr. Kept");
        await patient.Gateway.Keys.GrantAsync(revokedKey.Id);
        await patient.Gateway.Keys.GrantAsync(keptKey.Id);
        await patient.Gateway.Keys.PayAsync(revokedKey.Id, _world.Fee * 10);
        await patient.Gateway.Keys.PayAsync(keptKey.Id, _world.Fee * 10);
        var gated = new GatedLedger(_world.Ledger);
        var revoked = await _world.StartDoctorAsync(revokedKey, gated);
        var kept = await _world.StartDoctorAsync(keptKey);
        var device = await patient.PairAsync(0x4e70_0001);
        var frames = 0;

        async Task PublishBatchAsync()
        {
            await device.PublishAsync(SensorKind.BloodPressure, [128, 84, 70], Signals.NowMs());
            frames++;
            await Eventually.WaitUntilAsync(() => patient.Gateway.Batcher.CommittedFrames == frames, "the frame committed");
        }

        await PublishBatchAsync();
        await Eventually.WaitUntilAsync(() => revoked.Counters.Diagnosed == 1 && kept.Counters.Diagnosed == 1, "both doctors diagnosed the first batch");

        // The doctor is slow to submit its next diagnosis; meanwhile the patient revokes it.
        gated.Close();
        await PublishBatchAsync();
        await gated.Held.WaitAsync(TimeSpan.FromSeconds(30));
        await patient.Gateway.Keys.RevokeAsync(revokedKey.Id);
        gated.Open();
        await Eventually.WaitUntilAsync(() => revoked.Counters.NotAuthorisedRefusals == 1, "the ledger's refusal counted");

        await PublishBatchAsync();
        await Eventually.WaitUntilAsync(() => kept.Counters.Diagnosed == 3, "the kept doctor diagnosed every batch");
        await Eventually.WaitUntilAsync(() => revoked.Counters.IotSeen == 3 && revoked.Counters.NotAuthorised == 2, "the revoked doctor saw the batches after it was revoked");

        var iot = (await _world.IotTransactionsAsync(patient)).Select(t => t.Transaction.IdHex).ToList();
        var byRevoked = Assert.Single(await _world.DiagnosesAsync(patient, revokedKey.Id));
        Assert.Equal([iot[0]], byRevoked.Payload.Covers.Select(Convert.ToHexStringLower));
        var byKept = await _world.DiagnosesAsync(patient, keptKey.Id);
        Assert.Equal(iot.Order(StringComparer.Ordinal), byKept.SelectMany(d => d.Payload.Covers.Select(Convert.ToHexStringLower)).Order(StringComparer.Ordinal));
        Assert.Equal(1, revoked.Counters.Diagnoses);
        Assert.Equal(1, revoked.Counters.Refusals[nameof(RejectReason.DoctorNotAuthorised)]);
        Assert.Equal(0, revoked.Counters.InProgress);
    }

    [Fact]
    public async Task A_clinician_note_follows_a_diagnosis_and_the_patient_reads_it()
    {
        var patient = await _world.AddPatientAsync();
        var doctorKey = await _world.RegisterDoctorAsync("Dr. Note");
        await patient.Gateway.Keys.GrantAsync(doctorKey.Id);
        await patient.Gateway.Keys.PayAsync(doctorKey.Id, _world.Fee * 2);
        var doctor = await _world.StartDoctorAsync(doctorKey);
        var device = await patient.PairAsync(0x4075_0001);
        await device.PublishAsync(SensorKind.Temperature, [3910], Signals.NowMs());
        await Eventually.WaitUntilAsync(() => doctor.Counters.Diagnosed == 1, "the batch diagnosed");
        var diagnosis = Assert.Single(await _world.DiagnosesAsync(patient));

        const string Text = "Reviewed by Dr. Note: fever confirmed; paracetamol and fluids, call if above 39.5 °C.";
        var note = await ClinicianNotes.PublishAsync(_world.DoctorFolder(doctorKey), doctorKey, _world.Ledger, _world.Store, diagnosis.Tx.IdHex, Text);

        var all = await PatientDiagnosisReader.ReadAsync(_world.Ledger, _world.Store, patient.Id, patient.DiagnosisKeys());
        Assert.Equal(2, all.Count);
        Assert.All(all, d => Assert.Null(d.Error));
        var read = Assert.Single(all, d => d.TransactionId == note.TransactionId);
        Assert.Equal(diagnosis.Tx.IdBytes, read.Payload.Follows);
        Assert.Empty(read.Payload.Covers);
        Assert.Equal(DiagnosisKinds.ClinicianNote, read.Document!.Kind);
        Assert.Equal(DiagnosisDocument.ClinicianNoteLabel, read.Document.Label);
        Assert.Equal(Text, read.Document.ClinicianNote);
        Assert.Equal(diagnosis.Tx.IdHex, read.Document.Follows);
        Assert.Equal(doctorKey.Id, read.Doctor);
        Assert.Contains(all, d => d.Document!.Analysis!.Findings.Any(f => f.Kind == FindingKind.Fever));
    }

    [Fact]
    public async Task Several_patients_are_served_in_parallel_and_each_diagnosis_reports_its_latency()
    {
        var doctorKey = await _world.RegisterDoctorAsync("Dr. Busy");
        var patients = new List<PatientSide>();
        var devices = new List<TestDevice>();
        for (var p = 0; p < 3; p++)
        {
            var patient = await _world.AddPatientAsync();
            await patient.Gateway.Keys.GrantAsync(doctorKey.Id);
            await patient.Gateway.Keys.PayAsync(doctorKey.Id, _world.Fee * 20);
            patients.Add(patient);
            devices.Add(await patient.PairAsync(0x1a7e_0000 + (ulong)p));
        }

        var doctor = await _world.StartDoctorAsync(doctorKey);
        var events = new ConcurrentQueue<DiagnosisCommittedEventArgs>();
        doctor.DiagnosisCommitted += (_, e) => events.Enqueue(e);
        const int Rounds = 5;
        for (var round = 1; round <= Rounds; round++)
        {
            await Task.WhenAll(devices.Select(d => d.PublishAsync(SensorKind.Temperature, [3700], Signals.NowMs())));
            await Eventually.WaitUntilAsync(() => patients.All(p => p.Gateway.Batcher.CommittedFrames == round), "every patient's frame committed");
        }

        var iot = new List<string>();
        foreach (var patient in patients)
        {
            iot.AddRange((await _world.IotTransactionsAsync(patient)).Select(t => t.Transaction.IdHex));
        }

        await Eventually.WaitUntilAsync(() => doctor.Counters.Diagnosed == iot.Count && events.Count == doctor.Counters.Diagnoses, "every batch diagnosed");
        var covered = events.SelectMany(e => e.Covers).ToList();
        Assert.Equal(iot.Order(StringComparer.Ordinal), covered.Order(StringComparer.Ordinal));
        Assert.All(events, e => Assert.True(e.Latency > TimeSpan.Zero));

        var latencies = events.Select(e => e.Latency.TotalMilliseconds).Order().ToList();
        output.WriteLine($"reading -> diagnosis committed, {latencies.Count} diagnoses of {iot.Count} batches from {patients.Count} patients: " +
            $"p50 {latencies[latencies.Count / 2]:F0} ms, p99 {latencies[(int)Math.Ceiling(latencies.Count * 0.99) - 1]:F0} ms, max {latencies[^1]:F0} ms");
    }

    [Fact]
    public async Task One_second_batches_still_get_a_rhythm_analysis_from_the_preceding_ecg_context()
    {
        var doctorKey = await _world.RegisterDoctorAsync("Dr. Context");
        var patient = await _world.AddPatientAsync();
        await patient.Gateway.Keys.GrantAsync(doctorKey.Id);
        await patient.Gateway.Keys.PayAsync(doctorKey.Id, _world.Fee * 40);
        var doctor = await _world.StartDoctorAsync(doctorKey);
        var device = await patient.PairAsync(0xc0_47e7);
        var ecg = Signals.EcgMicrovolts(12);
        var start = Signals.NowMs() - 15_000;

        // One ECG frame per batch: each diagnosis covers one second, too short for a rhythm analysis on its own.
        for (var f = 0; f < 12; f++)
        {
            await device.PublishAsync(SensorKind.Ecg, Signals.Second(ecg, f), start + (f * 1000L));
            await Eventually.WaitUntilAsync(() => patient.Gateway.Batcher.CommittedFrames == f + 1, "the frame committed");
            await Eventually.WaitUntilAsync(() => doctor.Counters.Diagnosed == f + 1, "the batch diagnosed");
        }

        var diagnoses = await PatientDiagnosisReader.ReadAsync(_world.Ledger, _world.Store, patient.Id, patient.DiagnosisKeys());
        Assert.Equal(12, diagnoses.Count);
        var first = diagnoses[0].Document!.Analysis!.Findings;
        var last = diagnoses[^1].Document!.Analysis!.Findings;
        Assert.DoesNotContain(first, f => f.Kind == FindingKind.HeartRateSummary);
        Assert.Contains(last, f => f.Kind == FindingKind.HeartRateSummary);
        Assert.Single(diagnoses[^1].Document!.Covers);
    }
}
