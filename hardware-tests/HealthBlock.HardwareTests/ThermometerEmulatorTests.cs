using HealthBlock.Wearable.Simulation.Thermometer;
using HealthBlock.Wearable.Sensors;
using Iot.Device.Mlx90614;

namespace HealthBlock.HardwareTests;

/// <summary>The MLX90614 emulator read through dotnet/iot's own driver and through the firmware's.</summary>
public class ThermometerEmulatorTests
{
    [Theory]
    [InlineData(36.6)]
    [InlineData(37.93)]
    [InlineData(-12.4)]
    [InlineData(104.2)]
    public void The_dotnet_iot_driver_reads_the_emulated_object_temperature(double celsius)
    {
        using var sensor = new Mlx90614(new Mlx90614Emulator { ObjectTemperatureCelsius = celsius });

        Assert.Equal(celsius, sensor.ReadObjectTemperature().DegreesCelsius, 0.02);
    }

    [Fact]
    public void The_dotnet_iot_driver_reads_the_emulated_ambient_temperature()
    {
        using var sensor = new Mlx90614(new Mlx90614Emulator { AmbientTemperatureCelsius = 23.5 });

        Assert.Equal(23.5, sensor.ReadAmbientTemperature().DegreesCelsius, 0.02);
    }

    [Theory]
    [InlineData(0x27AD, -70.01)]
    [InlineData(0x7FFF, 382.19)]
    [InlineData(0x3AD2, 28.01)]
    public void Datasheet_ram_values_read_as_the_datasheet_says(int raw, double celsius)
    {
        var emulator = new Mlx90614Emulator();
        emulator.WriteRam(Mlx90614Emulator.ObjectRegister, (ushort)raw);
        using var sensor = new Mlx90614(emulator);

        Assert.Equal(celsius, sensor.ReadObjectTemperature().DegreesCelsius, 2);
    }

    [Fact]
    public void A_read_word_carries_the_datasheet_pec()
    {
        // Datasheet example: address 0x5A, command 0x07, data 0x3AD2, PEC 0x30.
        var emulator = new Mlx90614Emulator();
        emulator.WriteRam(Mlx90614Emulator.ObjectRegister, 0x3AD2);
        var reply = new byte[3];

        emulator.WriteRead([0x07], reply);

        Assert.Equal([0xD2, 0x3A, 0x30], reply);
    }

    [Theory]
    [InlineData(36.6)]
    [InlineData(38.44)]
    public void The_firmware_driver_reads_the_same_as_the_dotnet_iot_driver(double celsius)
    {
        var emulator = new Mlx90614Emulator { ObjectTemperatureCelsius = celsius };
        var firmware = new Mlx90614Thermometer(new I2cDeviceAdapter(emulator));
        using var reference = new Mlx90614(emulator);

        Assert.True(firmware.TryReadCentiCelsius(out var centi));

        Assert.Equal(reference.ReadObjectTemperature().DegreesCelsius, centi / 100.0, 2);
    }

    [Fact]
    public void The_firmware_driver_refuses_a_corrupted_pec_the_error_flag_and_a_missing_device()
    {
        var emulator = new Mlx90614Emulator();
        var firmware = new Mlx90614Thermometer(new I2cDeviceAdapter(emulator));

        emulator.CorruptNextPec();
        Assert.False(firmware.TryReadCentiCelsius(out _));
        Assert.True(firmware.TryReadCentiCelsius(out _));

        emulator.WriteRam(Mlx90614Emulator.ObjectRegister, 0x8000 | 0x3AD2);
        Assert.False(firmware.TryReadCentiCelsius(out _));

        emulator.Absent = true;
        Assert.False(firmware.TryReadCentiCelsius(out _));
        Assert.Equal((1, 1, 1), (firmware.PecErrors, firmware.SensorErrors, firmware.BusErrors));
        Assert.Throws<IOException>(() => new Mlx90614(emulator).ReadObjectTemperature());
    }

    [Fact]
    public void Eeprom_writes_need_a_valid_pec()
    {
        var emulator = new Mlx90614Emulator();
        var command = Mlx90614Emulator.EmissivityCommand;
        var good = SmbusPec.ForWriteWord(0x5A, command, 0x66, 0xF3);

        emulator.Write([command, 0x66, 0xF3, (byte)(good ^ 0xFF)]);
        Assert.Equal(0xFFFF, emulator.ReadEeprom(command));

        emulator.Write([command, 0x66, 0xF3, good]);
        Assert.Equal(0xF366, emulator.ReadEeprom(command));
    }

    [Fact]
    public void An_unknown_command_is_not_acknowledged()
    {
        var emulator = new Mlx90614Emulator();

        Assert.Throws<IOException>(() => emulator.WriteRead([0xF0], new byte[3]));
    }
}
