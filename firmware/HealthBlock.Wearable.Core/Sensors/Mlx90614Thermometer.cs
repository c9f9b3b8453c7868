// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
using HealthBlock.Wearable.Hardware;

namespace HealthBlock.Wearable.Sensors
{
    /// <summary>
    /// The Melexis MLX90614 infrared thermometer over SMBus: reads the object temperature (RAM 0x07) as a
    /// "read word" with its packet error code and converts it without floating point.
    /// </summary>
    /// <remarks>
    /// RAM temperatures are unsigned 16-bit in units of 0.02 K, little-endian, bit 15 an error flag:
    /// 0x27AD is -70.01 °C and 0x7FFF is +382.19 °C. In centi-degrees Celsius that is <c>raw × 2 − 27315</c>.
    /// </remarks>
    public sealed class Mlx90614Thermometer : IThermometer
    {
        /// <summary>The factory SMBus address.</summary>
        public const int DefaultAddress = 0x5A;

        /// <summary>RAM address of the ambient (die) temperature.</summary>
        public const byte AmbientTemperatureRegister = 0x06;

        /// <summary>RAM address of the object temperature of zone 1.</summary>
        public const byte ObjectTemperatureRegister = 0x07;

        private readonly II2cDevice _device;
        private readonly byte[] _command = new byte[1];
        private readonly byte[] _reply = new byte[3];

        /// <summary>Reads through <paramref name="device"/> (bus and address set by the adapter).</summary>
        public Mlx90614Thermometer(II2cDevice device)
        {
            if (device == null)
            {
                throw new System.ArgumentNullException("device");
            }

            _device = device;
        }

        /// <summary>Transfers that failed on the bus.</summary>
        public int BusErrors { get; private set; }

        /// <summary>Replies whose packet error code did not match (noise on the bus).</summary>
        public int PecErrors { get; private set; }

        /// <summary>Replies with the sensor's error flag set.</summary>
        public int SensorErrors { get; private set; }

        /// <summary>Reads the object temperature.</summary>
        public bool TryReadCentiCelsius(out int centiCelsius)
        {
            return TryReadRegister(ObjectTemperatureRegister, out centiCelsius);
        }

        /// <summary>Reads the sensor's own (ambient) temperature.</summary>
        public bool TryReadAmbientCentiCelsius(out int centiCelsius)
        {
            return TryReadRegister(AmbientTemperatureRegister, out centiCelsius);
        }

        /// <summary>Converts a RAM temperature word into centi-degrees Celsius (the error flag must be clear).</summary>
        public static int RawToCentiCelsius(int raw)
        {
            return (raw * 2) - 27315;
        }

        private bool TryReadRegister(byte register, out int centiCelsius)
        {
            centiCelsius = 0;
            _command[0] = register;
            if (!_device.WriteRead(_command, _reply))
            {
                BusErrors++;
                return false;
            }

            if (SmbusPec.ForReadWord(_device.Address, register, _reply[0], _reply[1]) != _reply[2])
            {
                PecErrors++;
                return false;
            }

            int raw = _reply[0] | (_reply[1] << 8);
            if ((raw & 0x8000) != 0)
            {
                SensorErrors++;
                return false;
            }

            centiCelsius = RawToCentiCelsius(raw);
            return true;
        }
    }
}
