using System.Text.Json;
using HealthBlock.Devnet;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthBlock.Devnet.Tests;

public sealed class DevnetTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public async Task A_short_devnet_commits_every_acknowledged_frame_diagnoses_and_audits_clean()
    {
        using var output = new StringWriter();
        var options = new DevnetOptions { Wearables = 4, Doctors = 2, Patients = 2, Seconds = 8, BatchWindow = TimeSpan.FromMilliseconds(100), LivePath = false };

        var report = await new DevnetRunner(options, new PlainView(output), NullLoggerFactory.Instance).RunAsync(CancellationToken.None);

        Assert.True(report.Ok, output.ToString());
        Assert.True(report.FramesAcked > 0);
        Assert.Equal(0, report.AckedFramesMissing);
        Assert.True(report.FramesCommitted >= report.FramesAcked);
        Assert.Equal(0, report.FramesRejected);
        Assert.Empty(report.Alerts);
        Assert.True(report.Diagnoses > 0);
        Assert.Equal(0, report.RevokedDoctorDiagnosesAfterRevocation);
        // Per patient: the first epoch and one grant per doctor; then the half-way revocation.
        Assert.Equal((2 * (1 + 2)) + 1, report.KeyTxs);
        Assert.Equal(4, report.PaymentTxs);
        Assert.True(report.Blocks["userchain"] > 0 && report.Blocks["docchain"] > 0);
        Assert.True(report.LatencyMs.Count > 0 && report.LatencyMs.P50 > 0);
        Assert.Contains("half-way: patient-1 revokes doctor-1", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("devnet: OK", output.ToString(), StringComparison.Ordinal);
        Assert.Matches(@"t=\d+s streaming frames/s=\d+", output.ToString());

        using var json = JsonDocument.Parse(report.ToJson());
        foreach (var field in new[] { "frames_sent", "frames_acked", "frames_committed", "frames_rejected", "batches", "iot_txs", "key_txs", "payment_txs", "diagnoses", "blocks", "latency_ms", "revoked_doctor_diagnoses_after_revocation", "audit" })
        {
            Assert.True(json.RootElement.TryGetProperty(field, out _), field);
        }

        Assert.True(json.RootElement.GetProperty("audit").GetProperty("ok").GetBoolean());
        Assert.True(json.RootElement.GetProperty("latency_ms").TryGetProperty("p99", out _));
    }

    /// <summary>
    /// On the live path (devnet's default) patient-1's key rotates half-way while its sub-batches wait for their period
    /// (20 s, longer than the run, so they always wait): they are sealed again after newer frames, so the chain commits
    /// that patient's frames out of order, and the clear figure must still be the one the gateway contributed.
    /// </summary>
    [Theory]
    [Trait("Category", "Slow")]
    [InlineData(true)]
    [InlineData(false)]
    public async Task With_stats_the_cohort_mean_heart_rate_the_statistics_node_decrypts_equals_the_mean_in_the_clear(bool livePath)
    {
        using var output = new StringWriter();
        var options = new DevnetOptions { Wearables = 3, Doctors = 1, Patients = 3, Seconds = 12, LivePath = livePath, IotPeriod = TimeSpan.FromSeconds(20), BatchWindow = TimeSpan.FromMilliseconds(100), Stats = true, StatsPeriod = TimeSpan.FromSeconds(4) };

        var report = await new DevnetRunner(options, new PlainView(output), NullLoggerFactory.Instance).RunAsync(CancellationToken.None);

        var s = report.Statistics;
        Assert.NotNull(s);
        Assert.True(s.Refused is null, s.Refused);
        Assert.Equal((3, 3u), (s.Patients, s.K));
        Assert.True(s.Contributions >= 3 && s.RrIntervals > 0, output.ToString());
        Assert.Equal(s.ClearRrIntervals, s.RrIntervals);
        Assert.NotNull(s.CohortHeartRateBpm);
        Assert.Equal(s.ClearHeartRateBpm!.Value, s.CohortHeartRateBpm.Value, 9);
        Assert.InRange(s.CohortHeartRateBpm.Value, 40, 140);
        Assert.Equal(livePath, s.FramesCommittedOutOfOrder > 0);
        Assert.Matches("^[0-9a-f]{64}$", s.Record);
        Assert.True(report.Ok, output.ToString());
        Assert.Contains("statistics: cohort mean heart rate", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("; equal;", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task A_live_devnet_alarms_on_the_injected_conditions_summarises_per_period_and_audits_every_citation()
    {
        using var output = new StringWriter();
        var options = new DevnetOptions { Wearables = 3, WearablesPerPatient = 1, Doctors = 2, Patients = 3, Seconds = 16, IotPeriod = TimeSpan.FromSeconds(4), SummaryPeriod = TimeSpan.FromSeconds(8) };

        var report = await new DevnetRunner(options, new PlainView(output), NullLoggerFactory.Instance).RunAsync(CancellationToken.None);

        Assert.True(report.Ok, output.ToString());
        Assert.Equal(0, report.AckedFramesMissing);
        Assert.True(report.Alarms > 0, "the injected fever and hypertensive crisis raise alarms");
        Assert.True(report.AlarmLatencyMs.Count > 0 && report.AlarmCommitLatencyMs.Count > 0);
        Assert.True(report.SummaryDiagnoses > 0);
        Assert.True(report.CitationsBacked > 0);
        Assert.True(report.IotTxs < report.FramesCommitted, "a period commits many frames");
        Assert.True(report.LedgerBytesPerPatientDay > 0 && report.RaftLogBytes > 0);

        // Every committed alarm is traced through all eight stages (the gateway's seal joined by the sub-batch hash).
        Assert.Equal(8, report.AlarmStagesMs.Count);
        Assert.All(report.AlarmStagesMs.Values, stage => Assert.True(stage.Count > 0));
        Assert.Equal(report.AlarmStagesMs["submitted_to_committed"].Count, report.AlarmStagesMs["reading_to_frame_end"].Count);
        using var json = JsonDocument.Parse(report.ToJson());
        foreach (var field in new[] { "ledger_bytes_per_patient_day", "raft_log_bytes", "alarm_latency_ms", "alarm_commit_latency_ms", "alarm_stages_ms", "summary_diagnoses", "alarms" })
        {
            Assert.True(json.RootElement.TryGetProperty(field, out _), field);
        }
    }

    [Theory]
    [InlineData(0, 2, 1)]
    [InlineData(3, 0, 1)]
    [InlineData(3, 2, 2)]
    public void Invalid_options_are_refused_with_a_reason(int wearables, int doctors, int nodes)
    {
        var e = Assert.Throws<ArgumentException>(() => new DevnetOptions { Wearables = wearables, Doctors = doctors, Nodes = nodes }.Validate());
        Assert.StartsWith("--", e.Message, StringComparison.Ordinal);
    }
}
