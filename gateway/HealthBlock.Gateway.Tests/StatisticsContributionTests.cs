using HealthBlock.Crypto;
using HealthBlock.Gateway.Statistics;
using HealthBlock.Gateway.Store;
using HealthBlock.Ledger;
using HealthBlock.Paillier;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Gateway.Tests;

/// <summary>
/// The gateway's statistics contributions (issue 20) over an <see cref="InMemoryLedger"/>: a clock the test sets decides
/// when a period closes; the statistics key is a real 2048-bit Paillier key, and the committed ciphertexts are decrypted
/// to check what the gateway counted.
/// </summary>
public sealed class StatisticsContributionTests
{
    /// <summary>A minute boundary (ms since the epoch): period 0 starts here.</summary>
    private const long T0 = 1_764_000_000_000;
    private const long PeriodMs = 60_000;

    private static readonly Lazy<PaillierPrivateKey> StatisticsKey = new(() => PaillierPrivateKey.Generate(2048));

    [Fact]
    public async Task A_consenting_patients_period_is_one_ciphertext_that_decrypts_to_its_readings()
    {
        await using var s = await Setup.StartAsync();
        await s.ConsentAsync(T0 - 5_000, optIn: true);
        s.Clock.Set(T0 + 500);
        await s.PublishAsync(SensorKind.BloodPressure, T0 + 1_000, [118, 76, 70, 135, 85, 72]);
        await s.PublishAsync(SensorKind.Temperature, T0 + 2_000, [3_700, 3_850, 9_999]);
        await Eventually.WaitUntilAsync(() => s.Contributor.FramesRead == 2, "the contributor to read both frames", TimeSpan.FromSeconds(30));
        Assert.Empty(await s.ContributionsAsync());

        s.Clock.Set(T0 + PeriodMs + 1_000);
        await Eventually.WaitUntilAsync(() => s.Contributor.Committed == 1, "the period's contribution to commit", TimeSpan.FromSeconds(60));

        var p = Assert.Single(await s.ContributionsAsync());
        Assert.Equal(s.Statistics.Id, p.Statistics);
        Assert.Equal((T0, T0 + PeriodMs), (p.PeriodStartMs, p.PeriodEndMs));
        var row = Decrypt(Assert.Single(p.Ciphertexts), 1);
        Assert.Equal(2, row[(int)VitalSignSlot.BloodPressureCount]);
        Assert.Equal(118 + 135, row[(int)VitalSignSlot.SystolicSumMmHg]);
        Assert.Equal(76 + 85, row[(int)VitalSignSlot.DiastolicSumMmHg]);
        Assert.Equal(1, row[(int)VitalSignSlot.FindingsHypertension]);
        Assert.Equal(2, row[(int)VitalSignSlot.TemperatureCount]);
        Assert.Equal(3_700 + 3_850, row[(int)VitalSignSlot.TemperatureSumCentiDegC]);
        Assert.Equal(1, row[(int)VitalSignSlot.FindingsFever]);
        Assert.Equal(0, row[(int)VitalSignSlot.RrIntervalCount]);
        Assert.Equal(1, row[(int)VitalSignSlot.PatientPeriods]);
    }

    [Fact]
    public async Task Without_consent_a_period_is_skipped_and_opting_out_stops_contributions_from_the_next_period()
    {
        await using var s = await Setup.StartAsync();

        // Period 0: not opted in.
        s.Clock.Set(T0 + 500);
        await s.PublishAsync(SensorKind.Temperature, T0 + 1_000, [3_650]);
        await Eventually.WaitUntilAsync(() => s.Contributor.FramesRead == 1, "the first frame to be read", TimeSpan.FromSeconds(30));
        s.Clock.Set(T0 + PeriodMs);
        await Eventually.WaitUntilAsync(() => s.Contributor.Skipped == 1, "period 0 to be skipped", TimeSpan.FromSeconds(30));

        // Period 1: opted in at its start.
        await s.ConsentAsync(T0 + PeriodMs, optIn: true);
        s.Clock.Set(T0 + PeriodMs + 500);
        await s.PublishAsync(SensorKind.Temperature, T0 + PeriodMs + 1_000, [3_660]);
        await Eventually.WaitUntilAsync(() => s.Contributor.FramesRead == 2, "the second frame to be read", TimeSpan.FromSeconds(30));

        // Period 2: a reading, then an opt-out before the period closes.
        s.Clock.Set((2 * PeriodMs) + T0 + 500);
        await s.PublishAsync(SensorKind.Temperature, T0 + (2 * PeriodMs) + 1_000, [3_670]);
        await Eventually.WaitUntilAsync(() => s.Contributor.Committed == 1, "period 1 to commit", TimeSpan.FromSeconds(60));
        await Eventually.WaitUntilAsync(() => s.Contributor.FramesRead == 3, "the third frame to be read", TimeSpan.FromSeconds(30));
        await s.ConsentAsync(T0 + (2 * PeriodMs) + 2_000, optIn: false);
        s.Clock.Set(T0 + (3 * PeriodMs));
        await Eventually.WaitUntilAsync(() => s.Contributor.Skipped == 2, "period 2 to be skipped", TimeSpan.FromSeconds(30));

        var p = Assert.Single(await s.ContributionsAsync());
        Assert.Equal(T0 + PeriodMs, p.PeriodStartMs);
        var row = Decrypt(Assert.Single(p.Ciphertexts), 1);
        Assert.Equal((1, 3_660), (row[(int)VitalSignSlot.TemperatureCount], row[(int)VitalSignSlot.TemperatureSumCentiDegC]));
        Assert.Equal(0, s.Contributor.Refused);
    }

    [Fact]
    public async Task A_reading_that_arrives_after_its_period_closed_is_dropped_and_counted()
    {
        await using var s = await Setup.StartAsync();
        await s.ConsentAsync(T0 - 5_000, optIn: true);
        s.Clock.Set(T0 + (2 * PeriodMs));
        await s.PublishAsync(SensorKind.Temperature, T0 + 1_000, [3_650, 3_660]);
        await Eventually.WaitUntilAsync(() => s.Contributor.DroppedReadings == 2, "both late readings to be dropped", TimeSpan.FromSeconds(30));
        Assert.Equal(0, s.Contributor.Committed);
        Assert.Empty(await s.ContributionsAsync());
    }

    [Fact]
    public async Task A_restart_mid_period_keeps_the_counted_readings_and_counts_no_frame_twice()
    {
        await using var s = await Setup.StartAsync();
        await s.ConsentAsync(T0 - 5_000, optIn: true);
        s.Clock.Set(T0 + 500);
        await s.PublishAsync(SensorKind.Temperature, T0 + 1_000, [3_650]);
        await Eventually.WaitUntilAsync(() => s.Contributor.FramesRead == 1, "the first frame to be read", TimeSpan.FromSeconds(30));

        await s.RestartAsync();
        await s.PublishAsync(SensorKind.Temperature, T0 + 30_000, [3_700]);
        await Eventually.WaitUntilAsync(() => s.Contributor.FramesRead == 1, "only the new frame to be read", TimeSpan.FromSeconds(30));
        s.Clock.Set(T0 + PeriodMs);
        await Eventually.WaitUntilAsync(() => s.Contributor.Committed == 1, "the period to commit", TimeSpan.FromSeconds(60));

        var row = Decrypt(Assert.Single(Assert.Single(await s.ContributionsAsync()).Ciphertexts), 1);
        Assert.Equal((2, 3_650 + 3_700), (row[(int)VitalSignSlot.TemperatureCount], row[(int)VitalSignSlot.TemperatureSumCentiDegC]));
    }

    private static long[] Decrypt(byte[] encoded, long contributions)
    {
        var key = StatisticsKey.Value;
        var plaintext = key.Decrypt(PaillierCbor.DecodeCiphertext(encoded, key.PublicKey));
        return VitalSignsLayout.Create(modulusBits: key.PublicKey.ModulusBits).Decode(plaintext, contributions);
    }

    private sealed class Setup : IAsyncDisposable
    {
        private GatewayWorld _world = null!;
        private StatisticsOptions _options = null!;
        private TestDevice _device = null!;
        private MQTTnet.IMqttClient _client = null!;

        public SettableClock Clock { get; } = new(T0 - 10_000);

        public IdentityKey Statistics { get; } = IdentityKey.Generate();

        public StatisticsContributor Contributor => _world.Gateway.Statistics!;

        public static async Task<Setup> StartAsync()
        {
            var s = new Setup();
            s._options = new StatisticsOptions { Statistics = s.Statistics.Id, Period = TimeSpan.FromMilliseconds(PeriodMs), Grace = TimeSpan.Zero, PollInterval = TimeSpan.FromMilliseconds(50) };
            s._world = await GatewayWorld.StartAsync(configure: o => o with { Statistics = s._options, Time = s.Clock });
            await s._world.RegisterAsync(s.Statistics, Role.Statistics, "statistics");
            var publisher = new LedgerSubmitter(s.Statistics, TestNetwork.Of(s._world.Ledger), new MemoryNonceCounter(), s._world.Ledger);
            await publisher.SubmitAndWaitAsync(new StatisticsKeyPayload(PaillierCbor.Encode(StatisticsKey.Value.PublicKey)));
            s._device = s._world.PairDevice(0x57a7_0001);
            s._client = await GatewayWorld.ConnectDeviceAsync(s._device, "127.0.0.1", s._world.Gateway.MqttPort);
            return s;
        }

        /// <summary>Stops the gateway and starts it again on the same data folder; the device reconnects.</summary>
        public async Task RestartAsync()
        {
            _client.Dispose();
            await _world.Gateway.DisposeAsync();
            await _world.StartGatewayAsync(configure: o => o with { Statistics = _options, Time = Clock });
            _client = await GatewayWorld.ConnectDeviceAsync(_device, "127.0.0.1", _world.Gateway.MqttPort);
        }

        /// <summary>The patient (another process of its identity, sharing the gateway's nonces) opts in or out at <paramref name="atMs"/>.</summary>
        public async Task ConsentAsync(long atMs, bool optIn)
        {
            var patient = new LedgerSubmitter(_world.Patient, TestNetwork.Of(_world.Ledger), new StoreNonceCounter(_world.Gateway.Store), _world.Ledger, new SettableClock(atMs));
            await patient.SubmitAndWaitAsync(new StatisticsConsentPayload(Statistics.Id, optIn));
        }

        public async Task PublishAsync(SensorKind kind, long timeMs, short[] samples) =>
            await GatewayWorld.PublishAsync(_client, _device.Topic(_world.Patient.Id.ToString(), kind), _device.Frame(kind, samples, time: timeMs));

        public async Task<List<StatisticsContributionPayload>> ContributionsAsync() =>
            [.. (await _world.Ledger.GetTransactionsForAsync(_world.Patient.Id, ChainId.Userchain, 0, 10_000))
                .Select(t => t.Transaction.Body.Payload).OfType<StatisticsContributionPayload>()];

        public async ValueTask DisposeAsync()
        {
            _client?.Dispose();
            await _world.DisposeAsync();
        }
    }
}

/// <summary>A clock the test sets; timers still run in real time.</summary>
internal sealed class SettableClock(long nowMs) : TimeProvider
{
    private long _nowMs = nowMs;

    public void Set(long ms) => Interlocked.Exchange(ref _nowMs, ms);

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(Interlocked.Read(ref _nowMs));
}
