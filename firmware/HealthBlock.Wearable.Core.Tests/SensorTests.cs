using HealthBlock.Wearable.Hardware;
using HealthBlock.Wearable.Sensors;

namespace HealthBlock.Wearable.Core.Tests;

public class SensorTests
{
    [Theory]
    [InlineData(2048, 0)]
    [InlineData(2049, 8)]
    [InlineData(2047, -8)]
    [InlineData(2172, 999)]
    [InlineData(0, -16500)]
    [InlineData(4095, 16492)]
    public void Ad8232_counts_convert_to_microvolts_at_the_electrodes(int counts, int microvolts)
    {
        Assert.Equal(microvolts, new Ad8232Conversion().ToMicrovolts(counts));
    }

    [Fact]
    public void Ad8232_conversion_inverts_within_half_a_count()
    {
        var conversion = new Ad8232Conversion();
        for (var counts = 1; counts < 4095; counts++)
        {
            Assert.Equal(counts, conversion.ToCounts(conversion.ToMicrovolts(counts)));
        }

        Assert.Equal(0, conversion.ToCounts(-20_000));
        Assert.Equal(4095, conversion.ToCounts(20_000));
        Assert.True(conversion.IsSaturated(0));
        Assert.True(conversion.IsSaturated(4095));
        Assert.False(conversion.IsSaturated(4094));
    }

    [Fact]
    public void Ad8232_conversion_with_a_higher_gain_clamps_to_int16()
    {
        var sparkFunBoard = new Ad8232Conversion(12, 3300, 1650, 1100);
        var noGain = new Ad8232Conversion(12, 3300, 1650, 1);

        Assert.Equal(732, sparkFunBoard.ToMicrovolts(3048));
        Assert.Equal(short.MaxValue, noGain.ToMicrovolts(4095));
        Assert.Equal(short.MinValue, noGain.ToMicrovolts(0));
    }

    [Fact]
    public void Ad8232_front_end_reports_lead_off_when_either_comparator_is_high()
    {
        var adc = new Adc(1234);
        var plus = new Pin();
        var minus = new Pin();
        var frontEnd = new Ad8232FrontEnd(adc, plus, minus);

        Assert.Equal(1234, frontEnd.ReadSample(out var off));
        Assert.False(off);
        plus.High = true;
        frontEnd.ReadSample(out off);
        Assert.True(off);
        plus.High = false;
        minus.High = true;
        frontEnd.ReadSample(out off);
        Assert.True(off);
    }

    [Fact]
    public void Smbus_pec_matches_the_mlx90614_datasheet_example()
    {
        // Read word of RAM 0x07 from address 0x5A answering 0x3AD2: the datasheet's PEC is 0x30.
        Assert.Equal(0x30, SmbusPec.ForReadWord(0x5A, 0x07, 0xD2, 0x3A));
    }

    [Fact]
    public void Mlx90614_reads_the_object_temperature_in_centi_degrees()
    {
        var bus = new ReplyingI2c(0x5A, 0xD2, 0x3A, 0x30);

        Assert.True(new Mlx90614Thermometer(bus).TryReadCentiCelsius(out var centi));

        Assert.Equal(2801, centi);
        Assert.Equal([0x07], bus.LastWrite);
    }

    [Fact]
    public void Mlx90614_refuses_a_bad_pec_an_error_flag_and_a_nack()
    {
        var badPec = new Mlx90614Thermometer(new ReplyingI2c(0x5A, 0xD2, 0x3A, 0x31));
        var errorFlag = new Mlx90614Thermometer(new ReplyingI2c(0x5A, 0xD2, 0xBA, SmbusPec.ForReadWord(0x5A, 0x07, 0xD2, 0xBA)));
        var nack = new Mlx90614Thermometer(new ReplyingI2c(0x5A, 0, 0, 0) { Nack = true });

        Assert.False(badPec.TryReadCentiCelsius(out _));
        Assert.False(errorFlag.TryReadCentiCelsius(out _));
        Assert.False(nack.TryReadCentiCelsius(out _));
        Assert.Equal(1, badPec.PecErrors);
        Assert.Equal(1, errorFlag.SensorErrors);
        Assert.Equal(1, nack.BusErrors);
    }

    [Theory]
    [InlineData(0x27AD, -7001)]
    [InlineData(0x7FFF, 38219)]
    public void Mlx90614_raw_values_convert_as_the_datasheet_says(int raw, int centiCelsius)
    {
        Assert.Equal(centiCelsius, Mlx90614Thermometer.RawToCentiCelsius(raw));
    }

    private sealed class Adc(int value) : IAdcChannel
    {
        public int ReadValue() => value;
    }

    private sealed class Pin : IDigitalInput
    {
        public bool High { get; set; }

        public bool IsHigh() => High;
    }

    private sealed class ReplyingI2c(int address, params byte[] reply) : II2cDevice
    {
        public int Address => address;

        public bool Nack { get; init; }

        public byte[] LastWrite { get; private set; } = [];

        public bool WriteRead(byte[] writeBuffer, byte[] readBuffer)
        {
            LastWrite = (byte[])writeBuffer.Clone();
            if (Nack)
            {
                return false;
            }

            Array.Copy(reply, readBuffer, readBuffer.Length);
            return true;
        }
    }
}
