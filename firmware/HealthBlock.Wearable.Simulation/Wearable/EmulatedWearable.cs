using HealthBlock.Wearable.Simulation.Cuff;
using HealthBlock.Wearable.Simulation.Ecg;
using HealthBlock.Wearable.Simulation.Thermometer;
using HealthBlock.Protocol.Frames;
using HealthBlock.Wearable;
using HealthBlock.Wearable.Hardware;
using HealthBlock.Protocol.Pairing;
using HealthBlock.Wearable.Sampling;
using HealthBlock.Wearable.Sensors;
using HealthBlock.Wearable.Storage;

namespace HealthBlock.Wearable.Simulation.Wearable;

/// <summary>
/// A wearable made of the real firmware core (<see cref="WearableCore"/>) wired to bus-level emulators: the
/// AD8232 pins (<see cref="Ecg"/>), an MLX90614 on I2C (<see cref="Thermometer"/>), a UART cuff (<see cref="Cuff"/>),
/// and an MQTT uplink. Runs in real time on the firmware's own two threads (<see cref="Start"/>) or, with a virtual
/// clock, exactly as fast as <see cref="Advance"/> drives it (single-threaded, deterministic).
/// </summary>
public sealed class EmulatedWearable : IDisposable
{
    private readonly ManualClock? _virtualClock;
    private readonly bool _ownsUplink;
    private readonly Lock _stepLock = new();
    private WearableRunner? _runner;
    private long _nextSamplerMs = long.MinValue;
    private long _nextUplinkMs = long.MinValue;

    /// <summary>Builds the wearable over <paramref name="uplink"/> (see <see cref="WithMqtt"/> for a broker).</summary>
    public EmulatedWearable(EmulatedWearableOptions options, IMqttUplink uplink)
        : this(options, uplink, ownsUplink: false)
    {
    }

    private EmulatedWearable(EmulatedWearableOptions options, IMqttUplink uplink, bool ownsUplink)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(uplink);
        _ownsUplink = ownsUplink;
        Options = options;
        Pairing = options.ToPairing();
        Uplink = uplink;
        if (options.VirtualStartMs is { } start)
        {
            _virtualClock = new ManualClock(start);
        }

        Clock = (IClock?)_virtualClock ?? SystemClock.Instance;
        Ecg = new EcgAdcEmulator(options.Ecg ?? new SyntheticEcgSource(new SyntheticEcgSourceOptions { Seed = (int)(options.DeviceId % int.MaxValue) }));
        Thermometer = new Mlx90614Emulator { ObjectTemperatureCelsius = options.BodyTemperatureCelsius };
        Cuff = new CuffEmulator(Clock)
        {
            MeasurementTime = options.CuffMeasurementTime,
            Result = (options.BloodPressure.Systolic, options.BloodPressure.Diastolic, options.BloodPressure.Pulse, 0),
        };
        CounterSlots = options.CounterSlots ?? new MemoryRecordSlots();
        Core = new WearableCore(
            options.Settings ?? new WearableSettings(),
            Pairing,
            Clock,
            Ecg.FrontEnd,
            Ecg.Conversion,
            new Mlx90614Thermometer(new I2cDeviceAdapter(Thermometer)),
            new CuffClient(Cuff.OpenChannel()),
            new HmacFrameMac(options.Key),
            new DualSlotCounterStore(CounterSlots),
            uplink);
    }

    /// <summary>A wearable publishing to the broker in its options through MQTTnet (client id <c>hb-&lt;device&gt;</c>).</summary>
    public static EmulatedWearable WithMqtt(EmulatedWearableOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var uplink = new MqttNetUplink(options.BrokerHost, options.BrokerPort, "hb-" + DeviceFrame.FormatDeviceId(options.DeviceId), options.Security);
        return new EmulatedWearable(options, uplink, ownsUplink: true);
    }

    /// <summary>The options it was built from.</summary>
    public EmulatedWearableOptions Options { get; }

    /// <summary>Its pairing (as the gateway would have printed it).</summary>
    public PairingBlob Pairing { get; }

    /// <summary>The firmware core.</summary>
    public WearableCore Core { get; }

    /// <summary>The clock the core reads: the virtual clock, or the system clock.</summary>
    public IClock Clock { get; }

    /// <summary>Whether the wearable runs on a virtual clock.</summary>
    public bool IsVirtualTime => _virtualClock is not null;

    /// <summary>The AD8232 emulator.</summary>
    public EcgAdcEmulator Ecg { get; }

    /// <summary>The MLX90614 emulator (set its temperature while running).</summary>
    public Mlx90614Emulator Thermometer { get; }

    /// <summary>The cuff emulator (set its result or next error while running).</summary>
    public CuffEmulator Cuff { get; }

    /// <summary>The MQTT adapter.</summary>
    public IMqttUplink Uplink { get; }

    /// <summary>Where the sequence counter persists (hand it to the next wearable to emulate a reboot).</summary>
    public IRecordSlots CounterSlots { get; }

    /// <summary>A snapshot of the counters.</summary>
    public WearableStatistics Statistics => new(
        Core.Queue.TotalEnqueued,
        Core.Uplink.FramesSent,
        Core.Queue.TotalDropped,
        Core.Queue.Count,
        Core.Uplink.HasFrameInFlight,
        Core.Uplink.Connects,
        Core.Uplink.PublishFailures);

    /// <summary>Starts the firmware's sampler and uplink threads (real time only).</summary>
    /// <exception cref="InvalidOperationException">The wearable runs on a virtual clock, or is already running.</exception>
    public void Start()
    {
        if (IsVirtualTime)
        {
            throw new InvalidOperationException("a virtual-time wearable moves only through Advance()");
        }

        if (_runner is not null)
        {
            throw new InvalidOperationException("already started");
        }

        _runner = new WearableRunner(Core);
        _runner.Start();
    }

    /// <summary>Stops the threads, queues the partial ECG frame and disconnects.</summary>
    public void Stop()
    {
        _runner?.Stop(10_000);
        _runner = null;
    }

    /// <summary>The last exception the firmware loops caught, if any (real time).</summary>
    public Exception? LastError => _runner?.LastError;

    /// <summary>Runs the firmware for <paramref name="duration"/> of virtual time.</summary>
    public void Advance(TimeSpan duration) => AdvanceTo(Clock.UtcNowMs + (long)duration.TotalMilliseconds);

    /// <summary>
    /// Runs the firmware on the virtual clock up to <paramref name="utcMs"/>, calling the sampler and the uplink at
    /// exactly the times they ask for. Publishes still take real time (they go to a real broker or uplink).
    /// </summary>
    /// <exception cref="InvalidOperationException">The wearable runs in real time.</exception>
    public void AdvanceTo(long utcMs)
    {
        var clock = _virtualClock ?? throw new InvalidOperationException("only a virtual-time wearable can be advanced");
        lock (_stepLock)
        {
            if (_nextSamplerMs == long.MinValue)
            {
                _nextSamplerMs = _nextUplinkMs = clock.UtcNowMs;
            }

            while (true)
            {
                var t = Math.Min(_nextSamplerMs, _nextUplinkMs);
                if (t > utcMs)
                {
                    break;
                }

                clock.AdvanceTo(t);
                if (_nextSamplerMs <= clock.UtcNowMs)
                {
                    _nextSamplerMs = Core.PollSampler();
                }

                if (_nextUplinkMs <= clock.UtcNowMs)
                {
                    _nextUplinkMs = Core.PollUplink();
                }
            }

            clock.AdvanceTo(utcMs);
        }
    }

    /// <summary>
    /// Advances in steps of <paramref name="step"/> until <paramref name="condition"/> holds or
    /// <paramref name="limit"/> of virtual time has passed; returns whether the condition held.
    /// </summary>
    public bool AdvanceUntil(Func<bool> condition, TimeSpan step, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var end = Clock.UtcNowMs + (long)limit.TotalMilliseconds;
        while (!condition())
        {
            if (Clock.UtcNowMs >= end)
            {
                return false;
            }

            AdvanceTo(Math.Min(end, Clock.UtcNowMs + (long)step.TotalMilliseconds));
        }

        return true;
    }

    /// <summary>Asks the firmware for a blood-pressure measurement (as the wearable's button would).</summary>
    public void RequestBloodPressure() => Core.Sampler.RequestBloodPressure();

    /// <inheritdoc />
    public void Dispose()
    {
        Stop();
        if (_ownsUplink && Uplink is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }
}
