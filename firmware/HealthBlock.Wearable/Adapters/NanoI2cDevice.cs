// Device adapter: .NET nanoFramework on ESP32 (compiled in CI by HealthBlock.Wearable.NanoCheck; see firmware/README.md).
using System.Device.I2c;
using HealthBlock.Wearable.Hardware;

namespace HealthBlock.Wearable.Device.Adapters
{
    /// <summary>
    /// An I2C device at 100 kHz, the SMBus speed of the MLX90614 (System.Device.I2c: I2cDevice.Create,
    /// WriteRead(SpanByte, SpanByte) returning an I2cTransferResult).
    /// </summary>
    internal sealed class NanoI2cDevice : II2cDevice
    {
        private readonly I2cDevice _device;
        private readonly int _address;

        public NanoI2cDevice(int busId, int address)
        {
            _address = address;
            _device = I2cDevice.Create(new I2cConnectionSettings(busId, address, I2cBusSpeed.StandardMode));
        }

        public int Address
        {
            get { return _address; }
        }

        public bool WriteRead(byte[] writeBuffer, byte[] readBuffer)
        {
            I2cTransferResult result = _device.WriteRead(writeBuffer, readBuffer);
            return result.Status == I2cTransferStatus.FullTransfer;
        }
    }
}
