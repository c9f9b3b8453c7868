// Device adapters: .NET nanoFramework on ESP32 only (not built by CI; see firmware/README.md).
using System;
using System.IO;
using System.Text;
using HealthBlock.Protocol.Pairing;

namespace HealthBlock.Wearable.Device
{
    /// <summary>The files on the internal flash (drive I:) that provision the wearable.</summary>
    internal static class Provisioning
    {
        /// <summary>One line: the pairing blob printed by <c>healthblock gateway pair</c>.</summary>
        public const string PairingFile = "I:\\hbpair.txt";

        /// <summary>Optional: the Wi-Fi SSID on the first line, its password on the second.</summary>
        public const string WifiFile = "I:\\wifi.txt";

        /// <summary>Prefix of the two sequence-counter slot files (hbseq0.bin, hbseq1.bin).</summary>
        public const string CounterSlotPrefix = "I:\\hbseq";

        /// <summary>Reads and parses the pairing blob; <paramref name="problem"/> says why when it returns null.</summary>
        public static PairingBlob LoadPairing(out string problem)
        {
            string text = ReadText(PairingFile);
            if (text == null)
            {
                problem = "no " + PairingFile;
                return null;
            }

            PairingBlob blob;
            PairingError error;
            if (!PairingBlob.TryParse(text, out blob, out error))
            {
                problem = PairingFile + ": " + PairingBlob.ErrorName(error);
                return null;
            }

            problem = null;
            return blob;
        }

        /// <summary>Reads the optional Wi-Fi credentials; false when the file is absent (stored credentials are used).</summary>
        public static bool TryLoadWifi(out string ssid, out string password)
        {
            ssid = null;
            password = null;
            string text = ReadText(WifiFile);
            if (text == null)
            {
                return false;
            }

            string[] lines = text.Split('\n');
            ssid = lines[0].Trim();
            password = lines.Length > 1 ? lines[1].Trim() : string.Empty;
            return ssid.Length > 0;
        }

        private static string ReadText(string path)
        {
            try
            {
                if (!File.Exists(path))
                {
                    return null;
                }

                byte[] bytes = File.ReadAllBytes(path);
                return Encoding.UTF8.GetString(bytes, 0, bytes.Length);
            }
            catch (Exception)
            {
                return null;
            }
        }
    }
}
