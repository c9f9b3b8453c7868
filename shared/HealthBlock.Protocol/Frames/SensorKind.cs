namespace HealthBlock.Protocol.Frames;

/// <summary>What a frame's samples measure (byte 1 of the frame).</summary>
public enum SensorKind : byte
{
    /// <summary>ECG: int16 microvolts at the electrodes.</summary>
    Ecg = FrameLayout.KindEcg,

    /// <summary>Blood pressure: triples of systolic mmHg, diastolic mmHg, pulse per minute.</summary>
    BloodPressure = FrameLayout.KindBloodPressure,

    /// <summary>Body temperature in centi-degrees Celsius.</summary>
    Temperature = FrameLayout.KindTemperature,
}
