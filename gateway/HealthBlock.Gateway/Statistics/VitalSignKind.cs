namespace HealthBlock.Gateway.Statistics;

/// <summary>What a <see cref="VitalSignEvent"/> is.</summary>
public enum VitalSignKind
{
    /// <summary>An RR interval ending at the event's time: <see cref="VitalSignEvent.First"/> is its length in ms.</summary>
    RrInterval,

    /// <summary>A plausible blood-pressure reading: systolic in <see cref="VitalSignEvent.First"/>, diastolic in <see cref="VitalSignEvent.Second"/>, mmHg.</summary>
    BloodPressure,

    /// <summary>A plausible temperature reading: <see cref="VitalSignEvent.First"/> in hundredths of a degree Celsius.</summary>
    Temperature,

    /// <summary>A finding: <see cref="VitalSignEvent.First"/> is its <see cref="Paillier.VitalSignSlot"/>.</summary>
    Finding,

    /// <summary>A second (starting at the event's time) in which the ECG was worn.</summary>
    WornSecond,
}
