// Four HX711 (shared SCK) printing one text line per sample for DIY plates: "v1,v2,v3,v4" (signed
// counts), or "t=<micros>,v1,v2,v3,v4" with kWithTime. Runs on any Arduino, an Uno included.
const uint8_t kDout[4] = {2, 3, 4, 5}, kSck = 6;
const bool kWithTime = true;

void setup() {
  Serial.begin(115200);
  pinMode(kSck, OUTPUT);
  digitalWrite(kSck, LOW);
  for (int i = 0; i < 4; i++) pinMode(kDout[i], INPUT);
  Serial.println(F("# forceplate-text v1 serial=TXT-0001 cells=4 rate=80"));
}

void loop() {
  for (int i = 0; i < 4; i++) if (digitalRead(kDout[i]) == HIGH) return;  // wait for all four
  unsigned long t = micros();
  int32_t v[4] = {0, 0, 0, 0};
  for (int b = 0; b < 25; b++) {  // 24 data bits, MSB first; the 25th pulse selects A/128
    noInterrupts();
    digitalWrite(kSck, HIGH);
    delayMicroseconds(1);
    for (int i = 0; i < 4; i++) if (b < 24) v[i] = (v[i] << 1) | digitalRead(kDout[i]);
    digitalWrite(kSck, LOW);
    interrupts();
    delayMicroseconds(1);
  }
  if (kWithTime) { Serial.print(F("t=")); Serial.print(t); Serial.print(','); }
  for (int i = 0; i < 4; i++) {
    if (v[i] & 0x800000L) v[i] -= 0x1000000L;  // 24-bit two's complement
    Serial.print(v[i]);
    Serial.print(i < 3 ? ',' : '\n');
  }
}
