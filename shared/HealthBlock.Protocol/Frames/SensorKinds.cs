using HealthBlock.Protocol.Mqtt;

namespace HealthBlock.Protocol.Frames;

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
