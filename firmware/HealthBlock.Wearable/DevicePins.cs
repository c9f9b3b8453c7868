// Device adapter: .NET nanoFramework on ESP32 (compiled in CI by HealthBlock.Wearable.NanoCheck; see firmware/README.md).
using nanoFramework.Hardware.Esp32;

namespace HealthBlock.Wearable.Device
{
    /// <summary>The wiring of firmware/README.md ("Wiring"), for an ESP32-WROOM DevKit.</summary>
    internal static class DevicePins
    {
        /// <summary>AD8232 OUTPUT on GPIO34 = ADC1 channel 6 (input-only pin, no Wi-Fi conflict: ADC2 is unusable with Wi-Fi).</summary>
        public const int EcgAdcChannel = 6;

        /// <summary>AD8232 LO+ on GPIO25.</summary>
        public const int LeadOffPlus = 25;

        /// <summary>AD8232 LO- on GPIO26.</summary>
        public const int LeadOffMinus = 26;

        /// <summary>I2C1 SDA for the MLX90614.</summary>
        public const int I2cData = 21;

        /// <summary>I2C1 SCL for the MLX90614.</summary>
        public const int I2cClock = 22;

        /// <summary>The I2C bus the thermometer is on.</summary>
        public const int I2cBus = 1;

        /// <summary>COM2 TX to the cuff's RX.</summary>
        public const int CuffTx = 17;

        /// <summary>COM2 RX from the cuff's TX.</summary>
        public const int CuffRx = 16;

        /// <summary>The UART of the cuff (COM1 carries the nanoFramework debugger).</summary>
        public const string CuffPort = "COM2";

        /// <summary>The cuff's baud rate.</summary>
        public const int CuffBaudRate = 9600;

        /// <summary>The BOOT button (GPIO0, active low): press for a blood-pressure measurement.</summary>
        public const int MeasureButton = 0;

        /// <summary>Routes the I2C and UART functions to their pins (the ESP32's GPIO matrix).</summary>
        public static void Configure()
        {
            Configuration.SetPinFunction(I2cData, DeviceFunction.I2C1_DATA);
            Configuration.SetPinFunction(I2cClock, DeviceFunction.I2C1_CLOCK);
            Configuration.SetPinFunction(CuffTx, DeviceFunction.COM2_TX);
            Configuration.SetPinFunction(CuffRx, DeviceFunction.COM2_RX);
        }
    }
}
