using System.Device.I2c;
using HealthBlock.Wearable.Sensors;

namespace HealthBlock.Wearable.Simulation.Thermometer;

/// <summary>
/// The MLX90614 infrared thermometer at the bus: an <see cref="I2cDevice"/> answering SMBus "read word" commands
/// from its register map (RAM 0x00–0x1F, EEPROM 0x20–0x3F), little-endian, with the packet error code when the
/// master clocks out a third byte — as the dotnet/iot <c>Mlx90614</c> binding and the firmware both read it.
/// </summary>
/// <remarks>
/// RAM 0x06 is the ambient and 0x07 the object temperature, in units of 0.02 K (bit 15 is the error flag). EEPROM
/// writes (<c>command, low, high, PEC</c>) are accepted only with a correct PEC, as on the chip.
/// </remarks>
public sealed class Mlx90614Emulator : I2cDevice
{
    /// <summary>RAM address of the ambient temperature.</summary>
    public const byte AmbientRegister = 0x06;

    /// <summary>RAM address of the object temperature (zone 1).</summary>
    public const byte ObjectRegister = 0x07;

    /// <summary>EEPROM address (as a command, 0x20 | 0x0E) of the SMBus address word.</summary>
    public const byte SmbusAddressCommand = 0x2E;

    /// <summary>EEPROM emissivity word (0x20 | 0x04).</summary>
    public const byte EmissivityCommand = 0x24;

    private readonly Lock _lock = new();
    private readonly ushort[] _ram = new ushort[32];
    private readonly ushort[] _eeprom = new ushort[32];
    private byte _command;
    private bool _corruptNextPec;

    /// <summary>Creates a thermometer at <paramref name="address"/> on bus 1, reading 36.8 °C with a 25 °C die.</summary>
    public Mlx90614Emulator(int address = Mlx90614Thermometer.DefaultAddress)
    {
        ConnectionSettings = new I2cConnectionSettings(1, address);
        _eeprom[SmbusAddressCommand & 0x1F] = (ushort)(0xBE00 | address);
        _eeprom[EmissivityCommand & 0x1F] = 0xFFFF;
        ObjectTemperatureCelsius = 36.8;
        AmbientTemperatureCelsius = 25.0;
    }

    /// <inheritdoc />
    public override I2cConnectionSettings ConnectionSettings { get; }

    /// <summary>The object temperature the sensor reports (rounded to its 0.02 K resolution).</summary>
    public double ObjectTemperatureCelsius
    {
        get => RawToCelsius(ReadRam(ObjectRegister));
        set => WriteRam(ObjectRegister, CelsiusToRaw(value));
    }

    /// <summary>The ambient (die) temperature the sensor reports.</summary>
    public double AmbientTemperatureCelsius
    {
        get => RawToCelsius(ReadRam(AmbientRegister));
        set => WriteRam(AmbientRegister, CelsiusToRaw(value));
    }

    /// <summary>When set, the device does not acknowledge its address (transfers throw <see cref="IOException"/>).</summary>
    public bool Absent { get; set; }

    /// <summary>Read transactions served.</summary>
    public int Reads { get; private set; }

    /// <summary>Makes the next reply carry a wrong PEC (a bit error on the bus).</summary>
    public void CorruptNextPec()
    {
        lock (_lock)
        {
            _corruptNextPec = true;
        }
    }

    /// <summary>Sets a RAM word directly (e.g. with the error flag, bit 15).</summary>
    public void WriteRam(byte address, ushort raw)
    {
        lock (_lock)
        {
            _ram[address & 0x1F] = raw;
        }
    }

    /// <summary>Reads a RAM word.</summary>
    public ushort ReadRam(byte address)
    {
        lock (_lock)
        {
            return _ram[address & 0x1F];
        }
    }

    /// <summary>Reads an EEPROM word by its command (0x20–0x3F).</summary>
    public ushort ReadEeprom(byte command)
    {
        lock (_lock)
        {
            return _eeprom[command & 0x1F];
        }
    }

    /// <summary>The RAM word for a temperature: kelvin / 0.02, rounded.</summary>
    public static ushort CelsiusToRaw(double celsius) => (ushort)Math.Clamp(Math.Round((celsius + 273.15) * 50, MidpointRounding.AwayFromZero), 0, 0x7FFF);

    /// <summary>The temperature of a RAM word.</summary>
    public static double RawToCelsius(ushort raw) => Math.Round((raw * 0.02) - 273.15, 2);

    /// <inheritdoc />
    public override byte ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        Read(one);
        return one[0];
    }

    /// <inheritdoc />
    public override void Read(Span<byte> buffer)
    {
        lock (_lock)
        {
            EnsurePresent();
            Serve(_command, buffer);
        }
    }

    /// <inheritdoc />
    public override void WriteByte(byte value) => Write([value]);

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_lock)
        {
            EnsurePresent();
            if (buffer.Length == 0)
            {
                return;
            }

            _command = buffer[0];
            if (buffer.Length == 4)
            {
                WriteWord(buffer[0], buffer[1], buffer[2], buffer[3]);
            }
        }
    }

    /// <inheritdoc />
    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        lock (_lock)
        {
            EnsurePresent();
            if (writeBuffer.Length != 1)
            {
                throw new IOException("MLX90614 read word: write exactly one command byte");
            }

            _command = writeBuffer[0];
            Serve(_command, readBuffer);
        }
    }

    private void Serve(byte command, Span<byte> buffer)
    {
        if (buffer.Length is < 1 or > 3)
        {
            throw new IOException("MLX90614 answers a word (2 bytes) and its PEC (1 byte)");
        }

        ushort word;
        if (command <= 0x1F)
        {
            word = _ram[command];
        }
        else if (command <= 0x3F)
        {
            word = _eeprom[command & 0x1F];
        }
        else
        {
            throw new IOException($"MLX90614 does not acknowledge command 0x{command:X2}");
        }

        var low = (byte)word;
        var high = (byte)(word >> 8);
        var pec = SmbusPec.ForReadWord(ConnectionSettings.DeviceAddress, command, low, high);
        if (_corruptNextPec)
        {
            pec ^= 0x01;
            _corruptNextPec = false;
        }

        ReadOnlySpan<byte> reply = [low, high, pec];
        reply[..buffer.Length].CopyTo(buffer);
        Reads++;
    }

    private void WriteWord(byte command, byte low, byte high, byte pec)
    {
        if (command is < 0x20 or > 0x3F || SmbusPec.ForWriteWord(ConnectionSettings.DeviceAddress, command, low, high) != pec)
        {
            return;
        }

        _eeprom[command & 0x1F] = (ushort)(low | (high << 8));
    }

    private void EnsurePresent()
    {
        if (Absent)
        {
            throw new IOException($"no device acknowledged address 0x{ConnectionSettings.DeviceAddress:X2}");
        }
    }
}
