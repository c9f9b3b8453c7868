using HealthBlock.Wearable.Simulation.Ecg;
using HealthBlock.Wearable.Hardware;
using HealthBlock.Protocol.Pairing;
using HealthBlock.Wearable.Sampling;

namespace HealthBlock.Wearable.Simulation.Wearable;

/// <summary>What an <see cref="EmulatedWearable"/> is: its pairing, the body it is worn on, and its firmware settings.</summary>
public sealed record EmulatedWearableOptions
{
    /// <summary>The device id (as in the pairing blob).</summary>
    public required ulong DeviceId { get; init; }

    /// <summary>The patient id (a topic level).</summary>
    public required string Patient { get; init; }

    /// <summary>The 32-byte device key.</summary>
    public required byte[] Key { get; init; }

    /// <summary>Broker host for <see cref="EmulatedWearable.WithMqtt"/>.</summary>
    public string BrokerHost { get; init; } = "127.0.0.1";

    /// <summary>Broker port for <see cref="EmulatedWearable.WithMqtt"/>.</summary>
    public int BrokerPort { get; init; } = 1883;

    /// <summary>
    /// How the wearable reaches its broker, as its pairing blob says: TLS against a CA certificate with credentials, or
    /// plaintext (null: plaintext without credentials, for brokers that take anyone).
    /// </summary>
    public UplinkSecurity? Security { get; init; }

    /// <summary>The ECG at the electrodes (default: a regular synthetic ECG at 72 bpm seeded by the device id).</summary>
    public IEcgSource? Ecg { get; init; }

    /// <summary>What the thermometer reads.</summary>
    public double BodyTemperatureCelsius { get; init; } = 36.8;

    /// <summary>What the cuff measures.</summary>
    public (int Systolic, int Diastolic, int Pulse) BloodPressure { get; init; } = (120, 80, 70);

    /// <summary>How long the cuff takes.</summary>
    public TimeSpan CuffMeasurementTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Firmware settings (default: the firmware's own defaults).</summary>
    public WearableSettings? Settings { get; init; }

    /// <summary>
    /// Where the sequence counter persists. Pass the same slots to a new wearable to emulate a reboot
    /// (default: fresh memory, i.e. a factory-new device).
    /// </summary>
    public IRecordSlots? CounterSlots { get; init; }

    /// <summary>
    /// When set, the wearable runs on a <see cref="ManualClock"/> starting here (ms since the Unix epoch) and moves
    /// only through <see cref="EmulatedWearable.Advance"/>; when <c>null</c> it runs in real time after
    /// <see cref="EmulatedWearable.Start"/>.
    /// </summary>
    public long? VirtualStartMs { get; init; }

    /// <summary>Options from a pairing blob (the blob's broker is used by <see cref="EmulatedWearable.WithMqtt"/>).</summary>
    public static EmulatedWearableOptions FromPairing(PairingBlob pairing)
    {
        ArgumentNullException.ThrowIfNull(pairing);
        return new EmulatedWearableOptions
        {
            DeviceId = pairing.DeviceId,
            Patient = pairing.Patient,
            Key = pairing.GetKey(),
            BrokerHost = pairing.BrokerHost,
            BrokerPort = pairing.BrokerPort,
            Security = pairing.Security,
        };
    }

    /// <summary>The pairing blob these options describe.</summary>
    public PairingBlob ToPairing() => PairingBlob.Create(DeviceId, Patient, Key, BrokerHost, BrokerPort, Security ?? UplinkSecurity.Plaintext(null, null));
}
