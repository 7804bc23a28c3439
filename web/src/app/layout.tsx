import "@xyflow/react/dist/style.css";
import "./globals.css";

import type { Metadata } from "next";
import type { ReactNode } from "react";

import { Shell } from "@/components/Shell";

import { Providers } from "./providers";

export const metadata: Metadata = {
  title: "Raikoo console",
  description: "Design, run and watch Raikoo workflows",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>
          <Shell>{children}</Shell>
        </Providers>
      </body>
    </html>
  );
}
