using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Mqtt;

namespace HealthBlock.Protocol.Tests;

public class DeviceTopicsTests
{
    [Fact]
    public void A_sensor_topic_is_built_and_parsed_back()
    {
        var topic = DeviceTopics.ForSensor("Ward-7_bed.12", 0x00a1b2c3d4e5f607, FrameLayout.KindTemperature);

        Assert.Equal("hb/Ward-7_bed.12/00a1b2c3d4e5f607/temp", topic);
        Assert.True(DeviceTopics.TryParse(topic, out var patient, out var device, out var kind));
        Assert.Equal(("Ward-7_bed.12", 0x00a1b2c3d4e5f607UL, FrameLayout.KindTemperature), (patient, device, kind));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("hb/p/00a1b2c3d4e5f607")]
    [InlineData("hb/p/00a1b2c3d4e5f607/ecg/x")]
    [InlineData("HB/p/00a1b2c3d4e5f607/ecg")]
    [InlineData("hb//00a1b2c3d4e5f607/ecg")]
    [InlineData("hb/p+/00a1b2c3d4e5f607/ecg")]
    [InlineData("hb/p/00A1B2C3D4E5F607/ecg")]
    [InlineData("hb/p/00a1b2c3d4e5f60/ecg")]
    [InlineData("hb/p/00a1b2c3d4e5f607/ECG")]
    [InlineData("hb/p/00a1b2c3d4e5f607/spo2")]
    public void A_topic_outside_the_grammar_is_refused(string? topic)
    {
        Assert.False(DeviceTopics.TryParse(topic!, out var patient, out var device, out var kind));
        Assert.Equal((null, 0UL, (byte)0), (patient, device, kind));
    }

    [Fact]
    public void A_patient_of_64_characters_is_a_topic_level_and_65_is_not()
    {
        Assert.True(DeviceTopics.IsValidPatient(new string('p', 64)));
        Assert.False(DeviceTopics.IsValidPatient(new string('p', 65)));
        Assert.False(DeviceTopics.IsValidPatient("a#"));
    }

    [Fact]
    public void Filters_cover_one_patient_and_everything()
    {
        Assert.Equal("hb/p/+/+", DeviceTopics.PatientFilter("p"));
        Assert.Equal("hb/#", DeviceTopics.AllFilter);
    }

    [Fact]
    public void A_kind_without_a_topic_is_refused_when_building()
    {
        Assert.Null(DeviceTopics.SensorSegment(99));
        Assert.Throws<ArgumentOutOfRangeException>(() => DeviceTopics.ForKind("hb/p/0000000000000001", 99));
    }

    [Fact]
    public void Device_ids_are_16_lowercase_hex_digits_both_ways()
    {
        Assert.Equal("0000000000000001", DeviceTopics.FormatDeviceId(1));
        Assert.True(DeviceTopics.TryParseDeviceId("ffffffffffffffff", out var max));
        Assert.Equal(ulong.MaxValue, max);
        Assert.False(DeviceTopics.TryParseDeviceId("FFFFFFFFFFFFFFFF", out _));
    }
}
