// KVM where it works, TCG otherwise — detected, never assumed. /dev/kvm can exist and open
// and still fail on the first real guest instruction (nested virtualisation without the
// needed support, as on this project's development VMs), so the worker also learns from a
// guest that died of a KVM internal error and uses TCG from then on.
import { accessSync, constants } from "node:fs";
import type { Accel } from "./qemu-args.ts";

export class AccelChooser {
  private broken: string | undefined;

  constructor(private readonly kvmDevice = "/dev/kvm") {}

  /** For a guest migrating in: its state loads only under the acceleration it ran with. */
  static only(accel: Accel): AccelChooser {
    const c = new AccelChooser();
    if (accel === "tcg") c.broken = "the guest migrating in runs under TCG";
    return c;
  }

  choose(): Accel {
    if (this.broken !== undefined) return "tcg";
    try {
      accessSync(this.kvmDevice, constants.R_OK | constants.W_OK);
      return "kvm";
    } catch {
      return "tcg";
    }
  }

  /** Called when a guest fails under KVM; every later launch uses TCG. */
  markKvmBroken(reason: string): void {
    this.broken = reason;
  }

  /** Why KVM is not used, if it was tried and failed. */
  get kvmFailure(): string | undefined {
    return this.broken;
  }
}

/** What QEMU prints when KVM cannot run the guest (at start or at its first hard instruction). */
export const kvmFailurePattern =
  /KVM internal error|failed to initialize kvm|Could not access KVM kernel module/i;
