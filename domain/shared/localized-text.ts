/** A label shown to users in English and Chinese. */
export interface LocalizedText {
  en: string;
  zh: string;
}
