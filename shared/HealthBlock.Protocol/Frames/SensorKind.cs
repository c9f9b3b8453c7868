using HealthBlock.Protocol.Mqtt;

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

/// <summary>Frame flags (byte 2).</summary>
[Flags]
public enum FrameFlags : byte
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>ECG leads were off; the samples carry no signal.</summary>
    LeadOff = FrameLayout.FlagLeadOff,

    /// <summary>The sensor reported a fault or saturated.</summary>
    SensorFault = FrameLayout.FlagSensorFault,
}

/// <summary>Names of sensor kinds as MQTT topics and JSON use them.</summary>
public static class SensorKinds
{
    /// <summary>The topic segment of a kind: <c>ecg</c>, <c>bp</c>, <c>temp</c> (<see cref="DeviceTopics.SensorSegment"/>), else its number.</summary>
    public static string TopicName(SensorKind kind) =>
        DeviceTopics.SensorSegment((byte)kind) ?? ((byte)kind).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Parses a topic segment back into a kind (<see cref="DeviceTopics.TryParseSensorSegment"/>).</summary>
    public static bool TryParseTopicName(string name, out SensorKind kind)
    {
        var ok = DeviceTopics.TryParseSensorSegment(name, out var value);
        kind = (SensorKind)value;
        return ok;
    }
}
