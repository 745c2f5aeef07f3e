-- CreateTable
CREATE TABLE "AlertState" (
    "key" TEXT NOT NULL,
    "shopId" TEXT,
    "lastFiredAt" TIMESTAMP(3) NOT NULL,
    "detail" TEXT NOT NULL,
    "fired" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "AlertState_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "TaskMinute" (
    "task" TEXT NOT NULL,
    "minute" TIMESTAMP(3) NOT NULL,
    "runs" INTEGER NOT NULL DEFAULT 0,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "lastErrorAt" TIMESTAMP(3),

    CONSTRAINT "TaskMinute_pkey" PRIMARY KEY ("task","minute")
);

